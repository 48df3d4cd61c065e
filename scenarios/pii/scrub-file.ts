import { type ConvertResult, convertTraffic } from '../traffic/convert.ts';
import { readTraffic } from '../traffic/read.ts';
import type { TrafficFormat } from '../traffic/record.ts';
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

export type ScrubFileResult = ConvertResult;

/**
 * Reads a traffic file, writes every valid order scrubbed (keyed pseudonyms) and every
 * bad record to the quarantine file (masked excerpt, never the raw line); see
 * convertTraffic for the all-or-nothing output and the balanced accounting.
 */
export async function scrubFile(options: ScrubFileOptions): Promise<ScrubFileResult> {
  const reader = readTraffic(options.input, options.format ? { format: options.format } : {});
  const scrubber = createScrubber(options.key, { notes: options.notes ?? 'replace' });
  return convertTraffic({
    reader,
    output: options.output,
    outFormat: options.outFormat ?? (reader.format === 'csv' ? 'csv' : 'jsonl'),
    quarantineFile: options.quarantineFile,
    transform: (order) => scrubber.order(order),
  });
}
