import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { assertTrafficFile } from '../traffic/read.ts';
import { readGor } from './gor.ts';
import { readRawHar } from './har.ts';
import type { RawFormat, RawReaderStats, RawRecord } from './record.ts';

export interface RawReader extends AsyncIterable<RawRecord> {
  file: string;
  format: RawFormat;
  stats: RawReaderStats;
}

/** Recorded requests of a HAR or GoReplay file, one record per recorded request, streamed. */
export function readRaw(
  file: string,
  options: { format?: RawFormat; maxRecordBytes?: number; highWaterMark?: number } = {},
): RawReader {
  const format = options.format ?? detectRawFormat(file);
  const stats: RawReaderStats = { records: 0, responses: 0 };
  let started = false;
  return {
    file,
    format,
    stats,
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error(`readRaw(${file}) can be iterated only once`);
      started = true;
      assertTrafficFile(file);
      const source = createReadStream(file, { highWaterMark: options.highWaterMark ?? 64 * 1024 });
      const limit = options.maxRecordBytes;
      try {
        if (format === 'har') yield* readRawHar(source, file, stats, limit ? { maxEntryBytes: limit } : {});
        else yield* readGor(source, file, stats, limit ? { maxPayloadBytes: limit } : {});
      } finally {
        source.destroy();
      }
    },
  };
}

export function detectRawFormat(file: string): RawFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.har') return 'har';
  if (ext === '.gor') return 'gor';
  throw shipgateError('SG_USAGE', {
    message: `cannot tell the recording format of ${file} from its extension; pass --format har|gor`,
  });
}
