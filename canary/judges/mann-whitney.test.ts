import { describe, expect, it } from 'vitest';
import { mannWhitneyJudge } from './comparative.ts';
import { mannWhitneyU, normalCdf } from './mann-whitney.ts';
import { ERRORS, LATENCY } from './testing.ts';
import type { EventsInterval } from './types.ts';

describe('mannWhitneyU', () => {
  it('matches scipy.stats.mannwhitneyu (asymptotic, continuity, ties)', () => {
    // scipy: mannwhitneyu([1,2,2,5,7],[2,3,4,4,8,9], method='asymptotic') → U=9, p=0.30974
    const r = mannWhitneyU([1, 2, 2, 5, 7], [2, 3, 4, 4, 8, 9]);
    expect(r.U).toBe(9);
    expect(r.p).toBeCloseTo(0.30974, 4);
  });

  it('separated samples give U = 0 and rank-biserial −1', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.U).toBe(0);
    expect(r.rankBiserial).toBe(-1);
  });

  it('all ties give p = 1', () => {
    expect(mannWhitneyU([1, 1, 1], [1, 1]).p).toBe(1);
  });

  it('normal CDF is accurate to 1e-6', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
  });
});

describe('mannWhitneyJudge', () => {
  const iv = (cb: number, ct: number, bb: number, bt: number): EventsInterval => ({
    canary: { bad: cb, total: ct },
    baseline: { bad: bb, total: bt },
  });

  it('fails a metric significantly worse with its U, p and effect size', () => {
    const intervals = Array.from({ length: 20 }, (_, i) => iv(5 + (i % 3), 100, 1 + (i % 2), 100));
    const r = mannWhitneyJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(r.verdict).toBe('fail');
    const m = r.metrics[0]!;
    expect(m.statistic.p).toBeLessThan(0.02);
    expect(m.statistic.effectSize).toBeGreaterThan(3);
    expect(r.combined!.score).toBe(0);
  });

  it('passes similar metrics and marks empty ones NODATA (never a pass on its own)', () => {
    const intervals = Array.from({ length: 20 }, (_, i) => iv(i % 3, 100, (i + 1) % 3, 100));
    const r = mannWhitneyJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(r.verdict).toBe('pass');
    const empty = mannWhitneyJudge({
      series: [
        { kind: 'latency', metric: LATENCY, bounds: [1], intervals: [{ canary: null, baseline: null }] },
      ],
    });
    expect(empty.verdict).toBe('inconclusive');
    const mixed = mannWhitneyJudge({
      series: [
        { kind: 'events', metric: ERRORS, intervals },
        { kind: 'latency', metric: LATENCY, bounds: [1], intervals: [{ canary: null, baseline: null }] },
      ],
    });
    expect(mixed.verdict).toBe('inconclusive');
  });
});
