import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeFor } from './split.ts';

describe('traffic split', () => {
  it('sends a share of orders to the canary within binomial tolerance of its weight', () => {
    for (const weight of [1, 5, 25, 50]) {
      const n = 20_000;
      let canary = 0;
      for (let i = 0; i < n; i++) if (routeFor(`order-${weight}-${i}`, weight) === 'canary') canary++;
      const p = weight / 100;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(canary - n * p)).toBeLessThan(4 * sd);
    }
  });

  it('is stable for an order id and monotone in the weight', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (id, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(routeFor(id, low)).toBe(routeFor(id, low));
          if (routeFor(id, low) === 'canary') expect(routeFor(id, high)).toBe('canary');
        },
      ),
    );
    expect(routeFor('x', 0)).toBe('stable');
    expect(routeFor('x', 100)).toBe('canary');
  });
});
