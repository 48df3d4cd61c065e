import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Order } from '../../contracts/domain/order.ts';
import { isShipgateError, shipgateError } from '../../core/errors.ts';
import { type LedgerCounts, TrafficLedger } from '../traffic/accounting.ts';
import { openQuarantine } from '../traffic/quarantine.ts';
import { readTraffic } from '../traffic/read.ts';
import type { QuarantineCode, TrafficFormat } from '../traffic/record.ts';
import type { ReaderStats } from '../traffic/stats.ts';
import { writeTraffic } from '../traffic/write.ts';
import { createScrubber, type NotesPolicy } from './scrub.ts';

export interface ScrubFileOptions {
  input: string;
  output: string;
  quarantineFile: string;
  key: string | Buffer;
  /** Input format; default from the extension. */
  format?: TrafficFormat;
  /** Output format; default the input's (HAR input writes JSONL). */
  outFormat?: 'jsonl' | 'csv';
  /** Default `replace`: see NotesPolicy. */
  notes?: NotesPolicy;
}

export interface ScrubFileResult {
  input: string;
  output: string;
  quarantineFile: string;
  format: TrafficFormat;
  outFormat: 'jsonl' | 'csv';
  /** sent = orders written scrubbed. */
  counts: LedgerCounts;
  reader: ReaderStats;
  quarantinedByCode: Partial<Record<QuarantineCode, number>>;
}

/**
 * Reads a traffic file, writes every valid order scrubbed (keyed pseudonyms) and every
 * bad record to the quarantine file (masked excerpt, never the raw line). The output
 * is written to a temporary name and renamed at the end, so a failed run never leaves
 * a half-scrubbed file that looks complete. Every record is accounted for: the ledger
 * must balance (written + quarantined = read) or this throws.
 */
export async function scrubFile(options: ScrubFileOptions): Promise<ScrubFileResult> {
  const reader = readTraffic(options.input, options.format ? { format: options.format } : {});
  const outFormat = options.outFormat ?? (reader.format === 'csv' ? 'csv' : 'jsonl');
  const scrubber = createScrubber(options.key, { notes: options.notes ?? 'replace' });
  const ledger = new TrafficLedger({ trackIds: false });
  const quarantine = openQuarantine(options.quarantineFile, { source: options.input });
  const byCode: Partial<Record<QuarantineCode, number>> = {};

  async function* scrubbed(): AsyncGenerator<Order> {
    for await (const record of reader) {
      ledger.read(record);
      if (record.kind === 'quarantined') {
        quarantine.write(record);
        byCode[record.code] = (byCode[record.code] ?? 0) + 1;
        continue;
      }
      yield scrubber.order(record.order);
      ledger.sent(record.order.id);
    }
  }

  const temporary = `${options.output}.partial`;
  const out = createWriteStream(temporary);
  try {
    await Promise.race([
      writeTraffic(scrubbed(), out, outFormat),
      // Surface a write error (disk full, no permission) instead of waiting on 'drain'.
      new Promise((_, reject) => out.once('error', reject)),
    ]);
    out.end();
    await finished(out);
    await rename(temporary, options.output);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    if (
      !isShipgateError(error) &&
      error instanceof Error &&
      'code' in error &&
      typeof error.code === 'string'
    ) {
      throw shipgateError('SG_FILE_UNWRITABLE', { file: options.output, reason: error.code }, error);
    }
    throw error;
  } finally {
    quarantine.close();
  }
  ledger.assertBalanced();
  return {
    input: options.input,
    output: options.output,
    quarantineFile: options.quarantineFile,
    format: reader.format,
    outFormat,
    counts: ledger.counts,
    reader: { ...reader.stats },
    quarantinedByCode: byCode,
  };
}
