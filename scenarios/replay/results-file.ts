import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * `results.jsonl`: the replay's own append-only log, and what a resumed run starts from.
 *
 * Before an order is sent an `intent` line is written; when its fate is known an
 * `outcome` line follows. Lines are written with writeSync on an append-mode fd: a
 * killed process loses at most the line being written (the OS has the rest), which the
 * reader tolerates. On resume:
 *  - an id with an outcome is final and never sent again;
 *  - an id with an intent but no outcome was in flight at the crash: it is re-sent with
 *    the same idempotency key (the platform's idempotent intake makes that safe);
 *  - a quarantined line is carried over as quarantined.
 * Nothing from the order body is written: ids, line numbers, statuses and timings only
 * (and the platform's own id for the order).
 */
export type ResultLine =
  | { t: 'intent'; id: string; line: number; attempt: number }
  | {
      t: 'outcome';
      id: string;
      line: number;
      status: 'accepted' | 'failed';
      http: number;
      latencyMs: number;
      attempt: number;
      duplicate?: boolean;
      /** The platform's id for the order (a ticket): what a resumed run looks its outcome up by. */
      platformId?: string;
      error?: string;
      traceparent?: string;
      /** Accepted on the platform's word (lookup) after the request itself got no answer. */
      confirmed?: boolean;
    }
  | { t: 'quarantined'; line: number; field: string; reason: string };

export type OutcomeLine = Extract<ResultLine, { t: 'outcome' }>;

export interface PriorResults {
  outcomes: Map<string, OutcomeLine>;
  /** Ids sent but never answered (in flight at the crash), with the last attempt number used. */
  inFlight: Map<string, number>;
  quarantinedLines: Set<number>;
  /** Lines of the results file itself that could not be parsed (a torn last write). */
  torn: number;
}

export async function readPriorResults(file: string): Promise<PriorResults> {
  const prior: PriorResults = {
    outcomes: new Map(),
    inFlight: new Map(),
    quarantinedLines: new Set(),
    torn: 0,
  };
  prior.torn = await readResultLines(file, (entry) => {
    // A damaged file can hold any JSON (`null` crashed resume); an unreadable line counts
    // as torn, like a cut one: at worst its order is re-sent with the same key.
    if (!isResultLine(entry)) return false;
    if (entry.t === 'intent') {
      if (!prior.outcomes.has(entry.id)) {
        prior.inFlight.set(entry.id, Math.max(entry.attempt, prior.inFlight.get(entry.id) ?? 0));
      }
    } else if (entry.t === 'outcome') {
      prior.outcomes.set(entry.id, entry);
      prior.inFlight.delete(entry.id);
    } else if (entry.t === 'quarantined') {
      prior.quarantinedLines.add(entry.line);
    }
    return true;
  });
  return prior;
}

/**
 * Reads a results file line by line (absent: nothing), handing each parsed line to
 * `visit`; returns how many lines were torn: not JSON (the line being written when the
 * process was killed) or refused by `visit`. Shared by the order and raw replays.
 */
export async function readResultLines(file: string, visit: (entry: unknown) => boolean): Promise<number> {
  if (!existsSync(file)) return 0;
  let torn = 0;
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of lines) {
    if (!text.trim()) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      torn++;
      continue;
    }
    if (!visit(entry)) torn++;
  }
  return torn;
}

function isResultLine(v: unknown): v is ResultLine {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  if (e.t === 'intent') return typeof e.id === 'string' && Number.isInteger(e.attempt);
  if (e.t === 'outcome')
    return typeof e.id === 'string' && (e.status === 'accepted' || e.status === 'failed');
  return e.t === 'quarantined' && Number.isInteger(e.line);
}

export interface ResultsWriter<L extends object = ResultLine> {
  /**
   * `durable: true` (intents) writes synchronously, after any buffered lines, before
   * returning: the order must not leave before its intent is on record. Outcomes are
   * buffered (flushed every `flushEvery` lines, every `flushMs`, and on close): one
   * lost in a crash only means a same-key resend on resume, which the platform's
   * idempotent intake answers as a duplicate.
   */
  write(line: L, options?: { durable?: boolean }): void;
  close(): void;
}

/**
 * `isDead()` lets a caller simulate (or honour) a crash: once it returns true nothing
 * more is written, exactly as if the process had been killed at that instant.
 */
export function openResultsWriter<L extends object = ResultLine>(
  file: string,
  isDead: () => boolean = () => false,
  { flushEvery = 256, flushMs = 200 }: { flushEvery?: number; flushMs?: number } = {},
): ResultsWriter<L> {
  // A torn last line from a killed run must not glue itself to our first line.
  const needsNewline = existsSync(file) && endsWithoutNewline(file);
  const fd = openSync(file, 'a');
  if (needsNewline) writeSync(fd, '\n');
  let open = true;
  let buffer: string[] = [];
  const flush = () => {
    if (!open || isDead() || buffer.length === 0) return;
    writeSync(fd, buffer.join(''));
    buffer = [];
  };
  const timer = setInterval(flush, flushMs);
  timer.unref();
  return {
    write(line, options) {
      if (!open || isDead()) return;
      buffer.push(`${JSON.stringify(line)}\n`);
      if (options?.durable || buffer.length >= flushEvery) flush();
    },
    close() {
      if (!open) return;
      clearInterval(timer);
      try {
        flush();
      } finally {
        open = false;
        closeSync(fd);
      }
    },
  };
}

function endsWithoutNewline(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}
