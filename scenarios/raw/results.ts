import { readResultLines } from '../replay/results-file.ts';
import type { ComparedRequest } from './diff.ts';

/**
 * Raw replay's `results.jsonl`: written as it goes, read back on `--resume`. An
 * `intent` line is on disk before a request leaves; the `outcome` line records what
 * each target answered (status, latency, no body) and, already compared, the fields
 * that differed with their values as written (personal fields redacted, see fields.ts).
 * So a resumed run rebuilds the whole diff from this file without any response body
 * ever having been stored.
 */
export interface TargetAnswer {
  http: number;
  ms: number;
  error?: string;
}

export type RawResultLine =
  | { t: 'intent'; id: string; line: number }
  | {
      t: 'outcome';
      id: string;
      line: number;
      endpoint: string;
      /** Every target answered (any HTTP status). */
      sent: boolean;
      /** Why not sent: a target that did not answer, or not re-sent after a kill. */
      error?: string;
      targets: Record<string, TargetAnswer>;
      traceparent?: string;
      /** Candidate and baseline both answered, so their answers were compared. */
      compared: boolean;
      diffs: ComparedRequest['diffs'];
      noise?: string[];
    }
  | { t: 'quarantined'; line: number; field: string; reason: string };

export type RawOutcomeLine = Extract<RawResultLine, { t: 'outcome' }>;

export interface PriorRawResults {
  outcomes: Map<string, RawOutcomeLine>;
  /** Ids with an intent and no outcome: in flight when the run stopped. */
  inFlight: Set<string>;
  quarantinedLines: Set<number>;
  torn: number;
}

export async function readPriorRawResults(file: string): Promise<PriorRawResults> {
  const prior: PriorRawResults = {
    outcomes: new Map(),
    inFlight: new Set(),
    quarantinedLines: new Set(),
    torn: 0,
  };
  prior.torn = await readResultLines(file, (value) => {
    const entry = value as RawResultLine | null;
    if (entry?.t === 'intent' && typeof entry.id === 'string') {
      if (!prior.outcomes.has(entry.id)) prior.inFlight.add(entry.id);
    } else if (entry?.t === 'outcome' && typeof entry.id === 'string' && Array.isArray(entry.diffs)) {
      prior.outcomes.set(entry.id, entry);
      prior.inFlight.delete(entry.id);
    } else if (entry?.t === 'quarantined' && Number.isInteger(entry.line)) {
      prior.quarantinedLines.add(entry.line);
    } else return false;
    return true;
  });
  return prior;
}
