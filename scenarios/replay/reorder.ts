import { Heap } from 'heap-js';

/**
 * Bounded look-ahead reordering of a traffic stream by timestamp.
 *
 * Recorded files are mostly but not exactly in time order (log shippers batch, clocks
 * differ between hosts). Replaying in file order would send a late line early; sorting
 * the whole file would need it all in memory and would stall the first send until the
 * last line is read. So: hold at most `window` records in a min-heap and release the
 * earliest whenever the window is full. Any disorder within the window is repaired. A
 * record older than one already released cannot be put back in order: it is released
 * at once and counted as `late` (it is sent immediately, never dropped).
 *
 * The window is a count, not a time span: memory stays bounded however bursty the file,
 * and a far-future timestamp only delays that one record (it sits at the bottom of the
 * heap) instead of holding back the rest.
 */
export interface Timed {
  /** Epoch milliseconds used for ordering. */
  at: number;
}

export interface Released<T> {
  item: T;
  late: boolean;
}

export const DEFAULT_REORDER_WINDOW = 1000;

export async function* reorder<T extends Timed>(
  source: AsyncIterable<T>,
  window = DEFAULT_REORDER_WINDOW,
): AsyncGenerator<Released<T>> {
  if (!(window >= 1)) throw new RangeError(`reorder window must be at least 1, got ${window}`);
  // The sequence number breaks ties so equal timestamps keep their file order.
  const heap = new Heap<T & { seq: number }>((a, b) => a.at - b.at || a.seq - b.seq);
  let seq = 0;
  let released = Number.NEGATIVE_INFINITY;
  for await (const item of source) {
    if (item.at < released) {
      yield { item, late: true };
      continue;
    }
    heap.push({ ...item, seq: seq++ });
    if (heap.size() > window) {
      const next = heap.pop()!;
      released = next.at;
      yield { item: strip(next), late: false };
    }
  }
  while (heap.size() > 0) yield { item: strip(heap.pop()!), late: false };
}

function strip<T>(entry: T & { seq: number }): T {
  const { seq: _seq, ...rest } = entry;
  return rest as unknown as T;
}
