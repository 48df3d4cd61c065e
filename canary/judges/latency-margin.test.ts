import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { addMarginBlock } from './latency-margin.ts';
import { LatencyShiftEProcess } from './latency-shift.ts';
import { logMixture } from './log-mixture.ts';
import { choose, lognormalCounts } from './testing.ts';

const SHIFTS = [0.5, 1, 2];
const LOG_W = SHIFTS.map(() => Math.log(1 / SHIFTS.length));

/** Every split of the pooled counts m giving the canary nc orders, with its multivariate Fisher weight at tilt delta. */
function tiltedSplits(m: readonly number[], nc: number, z: ArrayLike<number>, delta: number) {
  const out: { canary: number[]; p: number }[] = [];
  const walk = (k: number, left: number, acc: number[], w: number) => {
    if (k === m.length) {
      if (left === 0) out.push({ canary: acc.slice(), p: w });
      return;
    }
    for (let c = 0; c <= Math.min(m[k]!, left); c++) {
      acc.push(c);
      walk(k + 1, left - c, acc, w * choose(m[k]!, c) * Math.exp(delta * z[k]! * c));
      acc.pop();
    }
  };
  walk(0, nc, [], 1);
  const total = out.reduce((s, x) => s + x.p, 0);
  return out.map((x) => ({ ...x, p: x.p / total }));
}

/** E[mixture e-value of one block] when the canary's true tilt is `truth`. */
function expectation(m: number[], nc: number, z: ArrayLike<number>, delta0: number, truth: number): number {
  let e = 0;
  for (const { canary, p } of tiltedSplits(m, nc, z, truth)) {
    const logLR = new Float64Array(SHIFTS.length);
    addMarginBlock(
      canary,
      m.map((x, k) => x - canary[k]!),
      z,
      delta0,
      SHIFTS,
      logLR,
    );
    e += p * Math.exp(logMixture(logLR, LOG_W));
  }
  return e;
}

const BOUNDS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5];

describe('latency margin: one block against "no more than δ0 slower"', () => {
  it('has E = 1 at the margin and ≤ 1 inside it, for any block and scores (exact enumeration)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.01, max: 0.6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (m, ncWanted, delta0, inside) => {
          const total = m.reduce((a, b) => a + b, 0);
          fc.pre(total >= 2);
          const nc = 1 + (ncWanted % (total - 1));
          // Increasing scores, as the buckets' normal scores are.
          const z = m.map((_, k) => -1.5 + (3 * k) / (m.length - 1));
          expect(expectation(m, nc, z, delta0, delta0)).toBeCloseTo(1, 9);
          expect(expectation(m, nc, z, delta0, delta0 * inside)).toBeLessThanOrEqual(1 + 1e-9);
          expect(expectation(m, nc, z, delta0, -delta0)).toBeLessThanOrEqual(1 + 1e-9); // canary faster
        },
      ),
      { seed: 41, numRuns: 200 },
    );
  });

  it('is exact when the canary holds most of the block (the baseline side is counted instead)', () => {
    const z = [-1, 0, 0.5, 1.5];
    expect(expectation([5, 5, 3, 3], 13, z, 0.2, 0.2)).toBeCloseTo(1, 9);
    expect(expectation([5, 5, 3, 3], 13, z, 0.2, 0.1)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('stays finite with large blocks and strong shifts (no underflow)', () => {
    const z = [-2, -1, 0, 1, 2, 3];
    const out = new Float64Array(3);
    addMarginBlock([0, 0, 0, 10, 200, 300], [300, 300, 200, 10, 0, 0], z, 0.1, [2, 4, 8], out);
    for (const v of out) expect(Number.isFinite(v)).toBe(true);
    expect(out[0]).toBeGreaterThan(100);
  });
});

describe('LatencyShiftEProcess with a margin', () => {
  const margin = { relative: 0.05, bounds: BOUNDS };
  const shifts = SHIFTS.map((shift) => ({ shift, weight: 1 }));

  it("is exact at the margin with its own scores: E = 1 over the block's splits", () => {
    const rand = seededRandom(3);
    const ep = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 1, 2, margin);
    ep.add(new Array(BOUNDS.length + 1).fill(0), lognormalCounts(rand, BOUNDS, 400, 1)); // reference
    const m = [0, 0, 1, 1, 2, 1, 1, 1, 0, 0, 0, 0];
    const nc = 3;
    const baseline = m.map((x) => x); // the model depends only on the pooled counts
    const model = ep.blockModel(new Array(m.length).fill(0), baseline)!;
    expect(model.sigma).toBeGreaterThan(0.4);
    expect(model.sigma).toBeLessThan(0.6);
    expect(model.delta0).toBeCloseTo(Math.log(1.05) / model.sigma, 12);
    let e = 0;
    const before = ep.logE();
    for (const { canary, p } of tiltedSplits(m, nc, model.z, model.delta0)) {
      const copy = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 1, 2, margin);
      copy.add(new Array(BOUNDS.length + 1).fill(0), lognormalCounts(seededRandom(3), BOUNDS, 400, 1));
      copy.add(
        canary,
        m.map((x, k) => x - canary[k]!),
      );
      e += p * Math.exp(copy.logE() - before);
    }
    expect(e).toBeCloseTo(1, 9);
  });

  it('catches a canary 1.5× slower, and stays calm on one 3% slower that the plain test reacts to more', () => {
    const rand = seededRandom(12);
    const slow = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 30, 30, margin);
    const near = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 30, 30, margin);
    const nearPlain = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 30, 30);
    for (let t = 0; t < 100; t++) {
      slow.add(lognormalCounts(rand, BOUNDS, 5, 1.5), lognormalCounts(rand, BOUNDS, 45, 1));
      const c = lognormalCounts(rand, BOUNDS, 100, 1.03);
      const b = lognormalCounts(rand, BOUNDS, 100, 1);
      near.add(c, b);
      nearPlain.add(c, b);
    }
    expect(slow.logE()).toBeGreaterThan(Math.log(1000));
    expect(near.logE()).toBeLessThan(Math.log(10));
    expect(near.logE()).toBeLessThan(nearPlain.logE());
    expect(near.nullShift).toBeGreaterThan(0.05);
  });

  it('keeps false alarms within alpha for a canary exactly 5% slower (lognormal, watched every interval)', () => {
    const rand = seededRandom(22);
    let alarms = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const ep = new LatencyShiftEProcess(shifts, BOUNDS.length + 1, 30, 30, margin);
      for (let t = 0; t < 100; t++) {
        ep.add(lognormalCounts(rand, BOUNDS, 10, 1.05), lognormalCounts(rand, BOUNDS, 30, 1));
        if (ep.logE() >= Math.log(20)) {
          alarms++;
          break;
        }
      }
    }
    // alpha = 5% so the count is informative; allow 3 sd of sampling error.
    expect(alarms / runs).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs));
  });

  it('refuses a margin whose bounds do not match the buckets', () => {
    expect(() => new LatencyShiftEProcess(shifts, 4, 1, 2, { relative: 0.05, bounds: [0.1, 0.2] })).toThrow(
      RangeError,
    );
  });
});
