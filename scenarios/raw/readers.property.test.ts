import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { GOR_SEPARATOR, readGor } from './gor.ts';
import { readRawHar } from './har.ts';
import type { RawReaderStats, RawRecord } from './record.ts';
import { chunks, gorFile, harFile } from './testing.ts';

/**
 * Whatever bytes come in, a reader either refuses the file as a whole (a ShipgateError
 * naming it) or yields one record per recorded request, each a request or a quarantine
 * with a line ≥ 1: never a TypeError, never a record lost from the count.
 */
async function drain(records: AsyncIterable<RawRecord>, stats: RawReaderStats) {
  const out: RawRecord[] = [];
  try {
    for await (const record of records) out.push(record);
  } catch (error) {
    expect(isShipgateError(error)).toBe(true);
    return;
  }
  expect(out.length).toBe(stats.records);
  for (const r of out) {
    expect(r.line).toBeGreaterThanOrEqual(1);
    if (r.kind === 'quarantined') expect(r.reason.length).toBeGreaterThan(0);
    else expect(r.path.startsWith('/')).toBe(true);
  }
}

const piece = fc.oneof(
  fc.string(),
  fc.constantFrom(
    GOR_SEPARATOR,
    '\r\n',
    '\n\n',
    '1 ab 123 0\n',
    'GET / HTTP/1.1\r\n',
    'Content-Length: 9\r\n',
    '0\r\n\r\n',
  ),
);

describe('raw readers on hostile input', () => {
  it('GoReplay: any text, cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        async (parts, size) => {
          const stats: RawReaderStats = { records: 0, responses: 0 };
          await drain(readGor(chunks(parts.join(''), size), 'x.gor', stats), stats);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GoReplay: a valid file truncated at any byte', async () => {
    const text = gorFile([
      ['1', 'a', 1n, 'POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'],
      ['1', 'b', 2n, 'GET /y HTTP/1.1\r\n\r\n'],
    ]);
    const bytes = Buffer.byteLength(text);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes }), async (cut) => {
        const stats: RawReaderStats = { records: 0, responses: 0 };
        await drain(
          readGor(chunks(Buffer.from(text).subarray(0, cut).toString('utf8'), 5), 'x.gor', stats),
          stats,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('HAR: entries of any shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.anything(), { maxLength: 10 }), async (entries) => {
        const stats: RawReaderStats = { records: 0, responses: 0 };
        await drain(readRawHar(chunks(harFile(entries), 11), 'x.har', stats), stats);
      }),
      { numRuns: 300 },
    );
  });
});
