import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reorder } from './reorder.ts';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('reorder', () => {
  it('repairs disorder within the window and keeps ties in file order', async () => {
    const input = [3, 1, 2, 2, 5, 4].map((at, i) => ({ at, i }));
    const out = await collect(reorder(from(input), 10));
    expect(out.map((r) => r.item.at)).toEqual([1, 2, 2, 3, 4, 5]);
    expect(out.filter((r) => r.item.at === 2).map((r) => r.item.i)).toEqual([2, 3]);
    expect(out.every((r) => !r.late)).toBe(true);
  });

  it('releases a record later than the window at once, flagged late', async () => {
    const input = [10, 11, 12, 13, 1, 14].map((at) => ({ at }));
    const out = await collect(reorder(from(input), 2));
    const late = out.filter((r) => r.late).map((r) => r.item.at);
    expect(late).toEqual([1]);
    expect(out).toHaveLength(6);
  });

  it('does not wait for the end of the stream before releasing (bounded look-ahead)', async () => {
    let read = 0;
    async function* endless() {
      for (let i = 0; i < 1e9; i++) {
        read++;
        yield { at: i };
      }
    }
    for await (const first of reorder(endless(), 5)) {
      expect(first.item.at).toBe(0);
      break;
    }
    expect(read).toBe(6);
  });

  it('property: every record released exactly once; non-late ones in time order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        async (ats, window) => {
          const out = await collect(reorder(from(ats.map((at, id) => ({ at, id }))), window));
          expect(out.map((r) => r.item.id).sort((a, b) => a - b)).toEqual(ats.map((_, id) => id));
          const onTime = out.filter((r) => !r.late).map((r) => r.item.at);
          expect(onTime).toEqual([...onTime].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  });
});
