import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { RateConfidenceSequence } from './rate-bounds.ts';

describe('RateConfidenceSequence', () => {
  it('is [0, 1] before any order and narrows around the observed rate', () => {
    const cs = new RateConfidenceSequence(0.01);
    expect(cs.interval()).toEqual([0, 1]);
    cs.add(100, 10_000);
    const [lo, hi] = cs.interval();
    expect(lo).toBeGreaterThan(0.006);
    expect(lo).toBeLessThan(0.01);
    expect(hi).toBeGreaterThan(0.01);
    expect(hi).toBeLessThan(0.015);
    cs.add(0, 0);
    expect(cs.interval()).toEqual([lo, hi]);
  });

  it('has lower bound 0 with no bad orders and upper bound 1 with all bad', () => {
    const none = new RateConfidenceSequence(0.01);
    none.add(0, 500);
    expect(none.interval()[0]).toBe(0);
    expect(none.interval()[1]).toBeLessThan(0.03);
    const all = new RateConfidenceSequence(0.01);
    all.add(20, 20);
    expect(all.interval()[1]).toBe(1);
  });

  it('holds the true rate at every step with probability ≥ 1 − α (watched after every batch)', () => {
    const rand = seededRandom(5);
    const alpha = 0.1; // large, so the count is informative
    const runs = 300;
    let misses = 0;
    for (let r = 0; r < runs; r++) {
      const p = 0.02;
      const cs = new RateConfidenceSequence(alpha);
      for (let t = 0; t < 100; t++) {
        let bad = 0;
        for (let i = 0; i < 50; i++) if (rand() < p) bad++;
        cs.add(bad, 50);
        const [lo, hi] = cs.interval();
        if (p < lo || p > hi) {
          misses++;
          break;
        }
      }
    }
    expect(misses / runs).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs));
  });
});
