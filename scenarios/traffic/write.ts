import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Order } from '../../contracts/domain/order.ts';
import { CSV_COLUMNS, csvLine, orderToRow } from './csv-layout.ts';

/**
 * Writes orders as JSONL or CSV (the layout of csv-layout.ts), honouring backpressure
 * so a lazy source (the generator, a scrubbing pipeline) never piles up in memory.
 * Resolves to the number of orders written; does not end the stream.
 */
export async function writeTraffic(
  orders: AsyncIterable<Order> | Iterable<Order>,
  out: Writable,
  format: 'jsonl' | 'csv',
): Promise<number> {
  let count = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (format === 'csv') await write(csvLine(CSV_COLUMNS));
  for await (const order of orders) {
    await write(format === 'csv' ? csvLine(orderToRow(order)) : `${JSON.stringify(order)}\n`);
    count += 1;
  }
  return count;
}
