import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/domain/order.ts';
import { generateDay } from '../generate/day.ts';
import { TrafficLedger } from './accounting.ts';
import { SeenIds } from './check-order.ts';
import { readCsv } from './csv.ts';
import { readJsonl } from './jsonl.ts';
import { emptyStats } from './stats.ts';
import { orderArbitrary } from './test-orders.ts';
import { writeTraffic } from './write.ts';

async function roundTrip(orders: Order[], format: 'jsonl' | 'csv'): Promise<Order[]> {
  const chunks: Buffer[] = [];
  const sink = new (await import('node:stream')).Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await writeTraffic(orders, sink, format);
  const source = Readable.from([Buffer.concat(chunks)]);
  const read =
    format === 'csv'
      ? readCsv(source, 'mem.csv', new SeenIds(), emptyStats())
      : readJsonl(source, new SeenIds(), emptyStats());
  const ledger = new TrafficLedger();
  const out: Order[] = [];
  for await (const record of read) {
    ledger.read(record);
    if (record.kind === 'quarantined')
      throw new Error(`line ${record.line}: ${record.field}: ${record.reason}`);
    ledger.sent(record.order.id);
    out.push(record.order);
  }
  ledger.assertBalanced();
  return out;
}

/** CSV cannot tell an empty optional cell from an absent field: compare without them. */
function withoutEmptyOptionals(order: Order): Order {
  const copy = structuredClone(order);
  if (copy.notes === '') delete copy.notes;
  if (copy.customer.address.line2 === '') delete copy.customer.address.line2;
  return copy;
}

describe('writeTraffic → readers round trip', () => {
  it.each(['jsonl', 'csv'] as const)('%s: a generated day reads back identical', async (format) => {
    const orders = [...generateDay({ orders: 800, seed: 'roundtrip' })];
    expect(await roundTrip(orders, format)).toEqual(orders);
  });

  it('csv: any valid order (unicode, quotes, commas, newlines in text) reads back identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(orderArbitrary, { selector: (o) => o.id, maxLength: 8 }),
        async (orders) => {
          expect(await roundTrip(orders, 'csv')).toEqual(orders.map(withoutEmptyOptionals));
        },
      ),
      { numRuns: 100 },
    );
  });
});
