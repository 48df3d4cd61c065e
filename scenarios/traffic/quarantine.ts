import { appendFileSync, writeFileSync } from 'node:fs';
import { scrubText } from '../pii/text.ts';
import type { QuarantinedRecord } from './record.ts';

/** One line of `quarantine.jsonl`. */
export interface QuarantineEntry {
  source: string;
  line: number;
  code: QuarantinedRecord['code'];
  field: string;
  reason: string;
  excerpt?: string;
}

export interface QuarantineWriter {
  readonly file: string;
  readonly count: number;
  write(record: QuarantinedRecord): void;
  /** Writes what is buffered; call before reporting, and on shutdown. */
  flush(): void;
  close(): void;
}

/**
 * The quarantine file of a run (`<run>/quarantine.jsonl` by convention): one JSON line
 * per set-aside record with its source, line, field and reason. It never holds a raw
 * line: readers already mask excerpts (excerpt.ts), and reason and excerpt pass through
 * scrubText here as a second guard against an email or phone slipping through.
 * Lines are buffered and appended synchronously in batches, so a crash loses at most
 * one batch and the file never holds half a line from us.
 */
export function openQuarantine(
  file: string,
  { source, append = false, batch = 256 }: { source: string; append?: boolean; batch?: number },
): QuarantineWriter {
  if (!append) writeFileSync(file, '');
  let pending: string[] = [];
  let count = 0;
  const flush = () => {
    if (pending.length === 0) return;
    appendFileSync(file, pending.join(''));
    pending = [];
  };
  return {
    file,
    get count() {
      return count;
    },
    write(record) {
      const entry: QuarantineEntry = {
        source,
        line: record.line,
        code: record.code,
        field: record.field,
        reason: scrubText(record.reason),
      };
      if (record.excerpt !== undefined) entry.excerpt = scrubText(record.excerpt);
      pending.push(`${JSON.stringify(entry)}\n`);
      count += 1;
      if (pending.length >= batch) flush();
    },
    flush,
    close: flush,
  };
}
