import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRORS, LATENCY, ON_TIME } from './testing.ts';
import { thresholdJudge } from './threshold.ts';
import type { Verdict } from './types.ts';

const rank: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };

describe('thresholdJudge', () => {
  it('fails a canary outside its SLO and passes one inside', () => {
    const over = thresholdJudge({
      series: [
        { kind: 'events', metric: ERRORS, intervals: [{ canary: { bad: 3, total: 100 }, baseline: null }] },
      ],
    });
    expect(over.verdict).toBe('fail');
    expect(over.metrics[0]!.canary.value).toBeCloseTo(0.03);
    expect(over.metrics[0]!.reason).toMatch(/3\.0%.*outside the SLO <= 1\.0%/);
    const within = thresholdJudge({
      series: [
        { kind: 'events', metric: ERRORS, intervals: [{ canary: { bad: 1, total: 100 }, baseline: null }] },
      ],
    });
    expect(within.verdict).toBe('pass');
  });

  it('reports a good-ratio metric as a success rate (on-time 94% < 95% fails)', () => {
    const r = thresholdJudge({
      series: [
        { kind: 'events', metric: ON_TIME, intervals: [{ canary: { bad: 6, total: 100 }, baseline: null }] },
      ],
    });
    expect(r.metrics[0]!.canary.value).toBeCloseTo(0.94);
    expect(r.verdict).toBe('fail');
  });

  it('judges a latency quantile from histogram buckets like histogram_quantile', () => {
    // 100 observations: 50 ≤ 0.5s, 90 ≤ 1s, 100 ≤ 2s. p95 = 1 + (2−1)·(95−90)/10 = 1.5s.
    const r = thresholdJudge({
      series: [
        {
          kind: 'latency',
          metric: LATENCY,
          bounds: [0.5, 1, 2],
          intervals: [{ canary: { buckets: [50, 90, 100], count: 100 }, baseline: null }],
        },
      ],
    });
    expect(r.metrics[0]!.canary.value).toBeCloseTo(1.5);
    expect(r.verdict).toBe('fail');
  });

  it('an empty result or NaN is inconclusive, never pass', () => {
    for (const canary of [null, { bad: 0, total: 0 }, { bad: Number.NaN, total: 5 }]) {
      const r = thresholdJudge({
        series: [{ kind: 'events', metric: ERRORS, intervals: [{ canary, baseline: null }] }],
      });
      expect(r.verdict).toBe('inconclusive');
      expect(r.inconclusiveKind).toBe('missing-data');
    }
  });

  it('is monotone: a worse canary value never gets a better verdict', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (total, a, b) => {
          const lo = Math.min(a, b) % (total + 1);
          const hi = Math.max(lo, Math.max(a, b) % (total + 1));
          const judge = (bad: number) =>
            thresholdJudge({
              series: [
                { kind: 'events', metric: ERRORS, intervals: [{ canary: { bad, total }, baseline: null }] },
              ],
            }).verdict;
          expect(rank[judge(hi)]).toBeGreaterThanOrEqual(rank[judge(lo)]);
          // lower-is-worse metric: more late orders = lower on-time rate = never better.
          const onTime = (bad: number) =>
            thresholdJudge({
              series: [
                { kind: 'events', metric: ON_TIME, intervals: [{ canary: { bad, total }, baseline: null }] },
              ],
            }).verdict;
          expect(rank[onTime(hi)]).toBeGreaterThanOrEqual(rank[onTime(lo)]);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('is monotone in latency: shifting every sample up never improves the verdict', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (samples, shift) => {
          const judge = (xs: number[]) =>
            thresholdJudge({
              series: [
                {
                  kind: 'latency',
                  metric: LATENCY,
                  bounds: [1],
                  intervals: [{ canary: { samples: xs }, baseline: null }],
                },
              ],
            }).verdict;
          expect(rank[judge(samples.map((s) => s + shift))]).toBeGreaterThanOrEqual(rank[judge(samples)]);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });
});
