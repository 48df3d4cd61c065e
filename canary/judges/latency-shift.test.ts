import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { LatencyShiftEProcess } from './latency-shift.ts';
import { choose, lognormalCounts } from './testing.ts';

const SHIFTS = [
  { shift: 0.5, weight: 1 },
  { shift: 1, weight: 1 },
  { shift: 2, weight: 1 },
];

/** Every way to give the canary `nc` of the pooled orders `m` (per bucket), with its H0 probability. */
function splits(m: readonly number[], nc: number): { canary: number[]; p: number }[] {
  const total = m.reduce((a, b) => a + b, 0);
  const out: { canary: number[]; p: number }[] = [];
  const walk = (k: number, left: number, acc: number[], w: number) => {
    if (k === m.length) {
      if (left === 0) out.push({ canary: acc.slice(), p: w / choose(total, nc) });
      return;
    }
    for (let c = 0; c <= Math.min(m[k]!, left); c++) {
      acc.push(c);
      walk(k + 1, left - c, acc, w * choose(m[k]!, c));
      acc.pop();
    }
  };
  walk(0, nc, [], 1);
  return out;
}

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];

describe('LatencyShiftEProcess', () => {
  it('has expectation exactly 1 under H0 for any block and any reference (exact enumeration)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (m, ref, ncWanted) => {
          const total = m.reduce((a, b) => a + b, 0);
          fc.pre(total >= 2);
          const nc = 1 + (ncWanted % (total - 1));
          const buckets = m.length;
          let expectation = 0;
          for (const { canary, p } of splits(m, nc)) {
            const ep = new LatencyShiftEProcess(SHIFTS, buckets);
            // A reference from earlier blocks: baseline-only intervals carry no evidence but set the scores.
            ep.add(new Array(buckets).fill(0), ref.slice(0, buckets));
            ep.add(
              canary,
              m.map((x, k) => x - canary[k]!),
            );
            expectation += p * Math.exp(ep.logE());
          }
          expect(expectation).toBeCloseTo(1, 10);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('gives a canary that is faster less than 1 in expectation (never evidence of harm)', () => {
    const m = [3, 2, 2, 1];
    let expectation = 0;
    // Under "canary faster" the canary's orders lean to the low buckets: weight splits by e^{-k}.
    let norm = 0;
    const cases = splits(m, 3).map((s) => {
      const w = s.p * Math.exp(-s.canary.reduce((a, c, k) => a + c * k, 0));
      norm += w;
      return { ...s, w };
    });
    for (const { canary, w } of cases) {
      const ep = new LatencyShiftEProcess(SHIFTS, m.length);
      ep.add(
        canary,
        m.map((x, k) => x - canary[k]!),
      );
      expectation += (w / norm) * Math.exp(ep.logE());
    }
    expect(expectation).toBeLessThan(1);
  });

  it('grows for a canary whose every order is 1.5× slower, and not for an identical one', () => {
    const rand = seededRandom(11);
    const slow = new LatencyShiftEProcess(SHIFTS, BOUNDS.length + 1, 30, 30);
    const same = new LatencyShiftEProcess(SHIFTS, BOUNDS.length + 1, 30, 30);
    for (let t = 0; t < 60; t++) {
      slow.add(lognormalCounts(rand, BOUNDS, 5, 1.5), lognormalCounts(rand, BOUNDS, 45, 1));
      same.add(lognormalCounts(rand, BOUNDS, 5, 1), lognormalCounts(rand, BOUNDS, 45, 1));
    }
    expect(slow.logE()).toBeGreaterThan(Math.log(1000));
    expect(same.logE()).toBeLessThan(Math.log(10));
    expect(slow.canaryTotal).toBe(300);
  });

  it('pools intervals until both versions served orders and the block holds minBlockOrders', () => {
    const ep = new LatencyShiftEProcess(SHIFTS, 3, 30, 10);
    ep.add([0, 0, 1], [2, 0, 0]); // both versions, but only 3 orders: the block stays open
    expect(ep.informative).toBe(0);
    ep.add([0, 0, 0], [4, 3, 0]); // 10 orders: closes
    expect(ep.informative).toBe(1);
    expect(ep.logE()).toBeGreaterThan(0); // the canary's one order was the slowest of ten
  });

  it('rejects counts that are not counts, changing nothing', () => {
    const ep = new LatencyShiftEProcess(SHIFTS, 3);
    expect(ep.add([1, -1, 0], [1, 1, 1])).toBe(false);
    expect(ep.add([1, 0], [1, 1, 1])).toBe(false);
    expect(ep.add([1, Number.NaN, 0], [1, 1, 1])).toBe(false);
    expect(ep.canaryTotal).toBe(0);
    expect(ep.logE()).toBeCloseTo(0, 12);
  });

  it('keeps false alarms within alpha when watched after every interval (A/A, property of Ville)', () => {
    const rand = seededRandom(21);
    let alarms = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const ep = new LatencyShiftEProcess(SHIFTS, BOUNDS.length + 1, 30, 30);
      for (let t = 0; t < 200; t++) {
        ep.add(lognormalCounts(rand, BOUNDS, 2, 1), lognormalCounts(rand, BOUNDS, 8, 1));
        if (ep.logE() >= Math.log(20)) {
          alarms++;
          break;
        }
      }
    }
    // alpha = 5% here so the count is informative; 400 runs: allow 3 sd of sampling error.
    expect(alarms / runs).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs));
  });
});
