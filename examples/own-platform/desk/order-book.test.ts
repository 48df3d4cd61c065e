import { describe, expect, it } from 'vitest';
import { fingerprintOf, OrderBook } from './order-book.ts';

const created = { status: 201, body: { ticket: 'FT-1' } };

describe('OrderBook.once', () => {
  it('creates once, replays the same body, refuses a different body under the same reference', async () => {
    const book = new OrderBook();
    let runs = 0;
    const work = async () => {
      runs += 1;
      return created;
    };
    const a = fingerprintOf({ x: 1, y: [1, 2] });
    expect(await book.once('r1', a, work)).toEqual({ kind: 'fresh', answer: created });
    expect(await book.once('r1', fingerprintOf({ y: [1, 2], x: 1 }), work)).toEqual({
      kind: 'repeat',
      answer: created,
    });
    expect(await book.once('r1', fingerprintOf({ x: 2 }), work)).toEqual({ kind: 'conflict' });
    expect(runs).toBe(1);
  });

  it('shares the work of concurrent twins', async () => {
    const book = new OrderBook();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 20));
      return created;
    };
    const both = await Promise.all([book.once('r', 'f', work), book.once('r', 'f', work)]);
    expect(runs).toBe(1);
    expect(both.map((o) => o.kind).sort()).toEqual(['fresh', 'repeat']);
  });

  it('frees the reference after a refusal or a failure, so a retry works again', async () => {
    const book = new OrderBook();
    await book.once('r', 'f', async () => ({ status: 409, body: {} }));
    await expect(
      book.once('r', 'f', async () => {
        throw new Error('depot down');
      }),
    ).rejects.toThrow('depot down');
    expect(await book.once('r', 'f', async () => created)).toEqual({ kind: 'fresh', answer: created });
  });
});
