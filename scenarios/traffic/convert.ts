import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Order } from '../../contracts/domain/order.ts';
import { isShipgateError, shipgateError } from '../../core/errors.ts';
import { type LedgerCounts, TrafficLedger } from './accounting.ts';
import { openQuarantine } from './quarantine.ts';
import type { TrafficReader } from './read.ts';
import type { QuarantineCode, TrafficFormat } from './record.ts';
import type { ReaderStats } from './stats.ts';
import { writeTraffic } from './write.ts';

export interface ConvertOptions {
  reader: TrafficReader;
  output: string;
  outFormat: 'jsonl' | 'csv';
  quarantineFile: string;
  /** Applied to each valid order before it is written (scrub: pseudonyms). */
  transform?: (order: Order) => Order;
}

export interface ConvertResult {
  input: string;
  output: string;
  quarantineFile: string;
  format: TrafficFormat;
  outFormat: 'jsonl' | 'csv';
  /** sent = orders written. */
  counts: LedgerCounts;
  reader: ReaderStats;
  quarantinedByCode: Partial<Record<QuarantineCode, number>>;
}

/**
 * Reads traffic, writes every valid order (transformed) and every bad record to the
 * quarantine file (masked excerpt, never the raw line). The output is written to a
 * temporary name and renamed at the end, so a failed run never leaves a half-written
 * file that looks complete. Every record is accounted for: the ledger must balance
 * (written + quarantined = read) or this throws. Used by `traffic scrub` and `import`.
 */
export async function convertTraffic(options: ConvertOptions): Promise<ConvertResult> {
  const { reader, transform = (order: Order) => order } = options;
  const ledger = new TrafficLedger({ trackIds: false });
  const quarantine = openQuarantine(options.quarantineFile, { source: reader.file });
  const byCode: Partial<Record<QuarantineCode, number>> = {};

  async function* converted(): AsyncGenerator<Order> {
    for await (const record of reader) {
      ledger.read(record);
      if (record.kind === 'quarantined') {
        quarantine.write(record);
        byCode[record.code] = (byCode[record.code] ?? 0) + 1;
        continue;
      }
      yield transform(record.order);
      ledger.sent(record.order.id);
    }
  }

  const temporary = `${options.output}.partial`;
  const out = createWriteStream(temporary);
  try {
    await Promise.race([
      writeTraffic(converted(), out, options.outFormat),
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
    input: reader.file,
    output: options.output,
    quarantineFile: options.quarantineFile,
    format: reader.format,
    outFormat: options.outFormat,
    counts: ledger.counts,
    reader: { ...reader.stats },
    quarantinedByCode: byCode,
  };
}
