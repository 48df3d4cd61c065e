import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { SeenIds } from './check-order.ts';
import { readCsv } from './csv.ts';
import { readHar } from './har.ts';
import { readJsonl } from './jsonl.ts';
import type { TrafficFormat, TrafficRecord } from './record.ts';
import { emptyStats, type ReaderStats } from './stats.ts';

export interface ReadTrafficOptions {
  /** Default: from the extension (.jsonl/.ndjson/.json → jsonl, .csv → csv, .har → har). */
  format?: TrafficFormat;
  /** A longer line is quarantined as `too-long` without being buffered. Default 1 MiB. */
  maxLineBytes?: number;
  /** HAR is streamed entry by entry; an entry larger than this is not held. Default 64 MiB. */
  maxHarEntryBytes?: number;
  /** Read stream chunk size (bytes). Default 64 KiB. */
  highWaterMark?: number;
}

/**
 * Iterate it once with `for await`; after (or during) iteration `stats` says what the
 * reader repaired or skipped. Yields exactly one record per input record, in file order.
 */
export interface TrafficReader extends AsyncIterable<TrafficRecord> {
  readonly file: string;
  readonly format: TrafficFormat;
  readonly stats: ReaderStats;
}

/**
 * Reads a traffic file as a stream of records: valid orders, or quarantined lines with
 * line number, field and reason (never thrown). Throws ShipgateError only when the file
 * as a whole is unusable: missing/unreadable (SG_FILE_UNREADABLE), unknown format
 * (SG_USAGE), a CSV header or HAR document that cannot be read (SG_INPUT_INVALID).
 * Memory: one line (HAR: one entry) at a time plus the ids seen (to name duplicates).
 */
export function readTraffic(file: string, options: ReadTrafficOptions = {}): TrafficReader {
  const format = options.format ?? detectFormat(file);
  const stats = emptyStats();
  const seen = new SeenIds();
  let started = false;
  return {
    file,
    format,
    stats,
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error(`readTraffic(${file}) can be iterated only once`);
      started = true;
      assertTrafficFile(file);
      const source = fileChunks(file, options.highWaterMark);
      if (format === 'har') yield* readHar(source, file, seen, stats, options);
      else if (format === 'csv') yield* readCsv(source, file, seen, stats, options);
      else yield* readJsonl(source, seen, stats, options);
    },
  };
}

/**
 * Throws SG_FILE_UNREADABLE when the path is missing or not a regular file: callers
 * check this before they make a run folder, so a run that never starts leaves none.
 */
export function assertTrafficFile(file: string): void {
  let reason: string | undefined;
  try {
    const info = statSync(file);
    if (info.isDirectory()) reason = 'is a directory';
    else if (!info.isFile()) reason = 'is not a regular file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file' : (code ?? String(error));
  }
  if (reason) throw shipgateError('SG_FILE_UNREADABLE', { file, reason });
}

export function detectFormat(file: string): TrafficFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.har') return 'har';
  throw shipgateError('SG_USAGE', {
    message: `cannot tell the format of ${file} from its extension; pass --format jsonl|csv|har`,
  });
}

export async function* fileChunks(file: string, highWaterMark = 64 * 1024): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const reason =
      error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    throw shipgateError('SG_FILE_UNREADABLE', { file, reason }, error);
  } finally {
    stream.destroy();
  }
}
