import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { DEFAULT_JUDGE_CONFIG } from './config.ts';
import { sequentialJudge } from './sequential.ts';
import { SplitBinomialEProcess } from './split-binomial.ts';
import { binomial, ERRORS, eventStream, LATENCY, ON_TIME } from './testing.ts';
import type { EventsInterval, LatencyInterval } from './types.ts';

const BOUNDS = [0.25, 0.5, 1, 2];

describe('sequentialJudge', () => {
  it('fails a canary with 6× the error rate and says why', () => {
    const rand = seededRandom(1);
    const intervals = eventStream(rand, {
      intervals: 60,
      orders: 100,
      share: 0.25,
      baseRate: 0.005,
      canaryRate: 0.03,
    });
    const r = sequentialJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(r.verdict).toBe('fail');
    const m = r.metrics[0]!;
    expect(m.verdict).toBe('fail');
    expect(m.test).toBe('sequential-split-binomial');
    expect(m.statistic.eValue).toBeGreaterThanOrEqual(100);
    expect(m.canary.samples).toBeGreaterThan(0);
    expect(m.baseline.bad).toBeGreaterThan(0);
    expect(r.reason).toMatch(/Order processing errors/);
  });

  it('passes an identical canary once it has the minimum sample, and not before', () => {
    const rand = seededRandom(2);
    const intervals = eventStream(rand, {
      intervals: 40,
      orders: 50,
      share: 0.5,
      baseRate: 0.01,
      canaryRate: 0.01,
    });
    const early = sequentialJudge({
      series: [{ kind: 'events', metric: ERRORS, intervals: intervals.slice(0, 2) }],
    });
    expect(early.verdict).toBe('inconclusive');
    expect(early.inconclusiveKind).toBe('not-enough-evidence');
    const late = sequentialJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(late.verdict).toBe('pass');
    expect(late.metrics[0]!.reason).toMatch(/no evidence of harm/);
  });

  it('uses the bounded-harm pass rule when asked', () => {
    const rand = seededRandom(3);
    const intervals = eventStream(rand, {
      intervals: 200,
      orders: 200,
      share: 0.5,
      baseRate: 0.05,
      canaryRate: 0.05,
    });
    const r = sequentialJudge({
      series: [{ kind: 'events', metric: ERRORS, intervals }],
      config: { passRule: 'bounded-harm', maxHarmRatio: 2 },
    });
    expect(r.verdict).toBe('pass');
    expect(r.metrics[0]!.statistic.thetaUpper).toBeLessThanOrEqual(2);
  });

  it('treats a missing latest interval as inconclusive, never pass', () => {
    const rand = seededRandom(4);
    const intervals: EventsInterval[] = [
      ...eventStream(rand, { intervals: 30, orders: 50, share: 0.5, baseRate: 0.01, canaryRate: 0.01 }),
      { canary: null, baseline: { bad: 0, total: 10 } },
    ];
    const r = sequentialJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(r.verdict).toBe('inconclusive');
    expect(r.inconclusiveKind).toBe('missing-data');
    expect(r.metrics[0]!.missingIntervals).toBe(1);
  });

  it('never passes when any interval of any metric is missing at the end (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom<'canary' | 'baseline' | 'both' | 'malformed'>(
          'canary',
          'baseline',
          'both',
          'malformed',
        ),
        (seed, n, which) => {
          const rand = seededRandom(seed);
          const intervals = eventStream(rand, {
            intervals: n,
            orders: 40,
            share: 0.5,
            baseRate: 0.02,
            canaryRate: 0.02,
          });
          const good = { bad: 0, total: 20 };
          const last: EventsInterval =
            which === 'malformed'
              ? { canary: { bad: 5, total: 2 }, baseline: good }
              : { canary: which === 'baseline' ? good : null, baseline: which === 'canary' ? good : null };
          const r = sequentialJudge({
            series: [
              { kind: 'events', metric: ERRORS, intervals: [...intervals, last] },
              {
                kind: 'events',
                metric: ON_TIME,
                intervals: eventStream(rand, {
                  intervals: 5,
                  orders: 40,
                  share: 0.5,
                  baseRate: 0.05,
                  canaryRate: 0.05,
                }),
              },
            ],
          });
          expect(r.verdict).not.toBe('pass');
        },
      ),
      { seed: 9, numRuns: 100 },
    );
  });

  it('judges latency histograms by the shift of the whole distribution and reports p95', () => {
    const rand = seededRandom(5);
    const draw = (scale: number, n: number) => {
      const samples = Array.from({ length: n }, () => scale * -Math.log(1 - rand()) * 0.2);
      return { buckets: BOUNDS.map((b) => samples.filter((s) => s <= b).length), count: n };
    };
    const slow: LatencyInterval[] = Array.from({ length: 30 }, () => ({
      canary: draw(3, 20),
      baseline: draw(1, 80),
    }));
    const r = sequentialJudge({
      series: [{ kind: 'latency', metric: LATENCY, bounds: BOUNDS, intervals: slow }],
    });
    expect(r.verdict).toBe('fail');
    const m = r.metrics[0]!;
    expect(m.test).toBe('sequential-latency-shift');
    expect(m.canary.value!).toBeGreaterThan(m.baseline.value!);
    // The harm bound is counted at a histogram bound near the baseline's p95 so far.
    expect(BOUNDS).toContain(m.statistic.boundSeconds);
    const same: LatencyInterval[] = Array.from({ length: 30 }, () => ({
      canary: draw(1, 20),
      baseline: draw(1, 80),
    }));
    expect(
      sequentialJudge({ series: [{ kind: 'latency', metric: LATENCY, bounds: BOUNDS, intervals: same }] })
        .verdict,
    ).toBe('pass');
  });

  it('agrees with the incremental e-process it is built on', () => {
    const rand = seededRandom(6);
    const intervals = eventStream(rand, {
      intervals: 50,
      orders: 80,
      share: 0.3,
      baseRate: 0.02,
      canaryRate: 0.04,
    });
    const { prior } = DEFAULT_JUDGE_CONFIG;
    const ep = new SplitBinomialEProcess(prior, true, 1, 'odds', 2, { relative: 0.1 });
    const plain = new SplitBinomialEProcess(prior);
    for (const iv of intervals) {
      ep.add(iv.canary!.bad, iv.canary!.total, iv.baseline!.bad, iv.baseline!.total);
      plain.add(iv.canary!.bad, iv.canary!.total, iv.baseline!.bad, iv.baseline!.total);
    }
    const config = { poolIntervals: 1, minBlockOrders: 2 };
    const r = sequentialJudge({
      series: [{ kind: 'events', metric: { ...ERRORS, margin: { relative: 0.1 } }, intervals }],
      config,
    });
    expect(r.combined!.logEValue).toBeCloseTo(ep.logE(), 10);
    // Without a margin of its own, an events metric gets the default (none): the plain test.
    const none = sequentialJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }], config });
    expect(none.combined!.logEValue).toBeCloseTo(plain.logE(), 10);
    expect(none.combined!.logEValue).toBeGreaterThan(r.combined!.logEValue!);
  });

  it("states the margin it tested against in each metric's evidence and reason", () => {
    const rand = seededRandom(9);
    const intervals = eventStream(rand, {
      intervals: 20,
      orders: 100,
      share: 0.5,
      baseRate: 0.02,
      canaryRate: 0.02,
    });
    const r = sequentialJudge({
      series: [
        { kind: 'events', metric: { ...ERRORS, margin: { relative: 0.1 } }, intervals },
        {
          kind: 'events',
          metric: { ...ERRORS, id: 'e2', title: 'E2', margin: { relative: 0.05, absolute: 0.002 } },
          intervals,
        },
      ],
    });
    expect(r.metrics[0]!.hypothesis).toBe('canary no worse than baseline + 10%');
    expect(r.metrics[0]!.reason).toContain('"canary no worse than baseline + 10%"');
    expect(r.metrics[1]!.hypothesis).toBe('canary no worse than baseline + 5% or + 0.2 points');
    expect(r.metrics[1]!.statistic.marginAbsolute).toBe(0.002);
  });

  it('spends a tenth of α on the baseline-rate bounds of absolute margins, so the total stays α', () => {
    const rand = seededRandom(10);
    const intervals = eventStream(rand, {
      intervals: 5,
      orders: 100,
      share: 0.5,
      baseRate: 0.02,
      canaryRate: 0.02,
    });
    const plain = sequentialJudge({ series: [{ kind: 'events', metric: ERRORS, intervals }] });
    expect(plain.combined!.threshold).toBeCloseTo(100, 9);
    const abs = sequentialJudge({
      series: [{ kind: 'events', metric: { ...ERRORS, margin: { absolute: 0.002 } }, intervals }],
    });
    expect(abs.combined!.threshold).toBeCloseTo(1 / 0.009, 9);
    expect(abs.reason).toContain('1/(0.9 α)');
  });

  it('refuses an absolute margin on a latency metric, naming it', () => {
    expect(() =>
      sequentialJudge({
        series: [
          {
            kind: 'latency',
            metric: { ...ERRORS, id: 'p95', margin: { absolute: 0.1 } },
            bounds: [0.1, 1],
            intervals: [],
          },
        ],
      }),
    ).toThrow(/metric "p95": latency margins are relative/);
  });

  it('averaging e-values rejects whenever splitting alpha does', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 20; i++) {
      const series = [
        {
          kind: 'events' as const,
          metric: ERRORS,
          intervals: eventStream(rand, {
            intervals: 30,
            orders: 60,
            share: 0.3,
            baseRate: 0.01,
            canaryRate: 0.01 + 0.01 * (i % 5),
          }),
        },
        {
          kind: 'events' as const,
          metric: ON_TIME,
          intervals: eventStream(rand, {
            intervals: 30,
            orders: 60,
            share: 0.3,
            baseRate: 0.03,
            canaryRate: 0.03,
          }),
        },
      ];
      const split = sequentialJudge({ series, config: { combine: 'split' } });
      const mean = sequentialJudge({ series });
      if (split.verdict === 'fail') expect(mean.verdict).toBe('fail');
    }
  });
});

describe('sequential judge on A/A streams under continuous monitoring', () => {
  it('rolls back at most alpha of identical rollouts, judged after every interval', () => {
    // Monte Carlo: 1,000 A/A rollouts of 100 intervals with shares stepping 1→5→25→50%,
    // random base rates; the judge's decision after every interval is "has the e-value
    // ever reached 1/α". alpha = 0.05 here so the count is informative; the bound must
    // hold with Monte Carlo slack of 3 standard errors.
    const alpha = 0.05;
    const runs = 1000;
    const params = fc.sample(
      fc.record({
        seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        rate: fc.double({ min: 0.005, max: 0.2, noNaN: true }),
        orders: fc.integer({ min: 5, max: 60 }),
      }),
      { seed: 42, numRuns: runs },
    );
    const shares = [0.01, 0.05, 0.25, 0.5];
    let rejections = 0;
    for (const p of params) {
      const rand = seededRandom(p.seed);
      const ep = new SplitBinomialEProcess([
        { theta: 1.5, weight: 1 },
        { theta: 2, weight: 1 },
        { theta: 3, weight: 1 },
        { theta: 5, weight: 1 },
        { theta: 10, weight: 1 },
      ]);
      for (let t = 0; t < 100; t++) {
        const share = shares[Math.floor(t / 25)]!;
        const nc = binomial(rand, p.orders, share);
        const nb = p.orders - nc;
        ep.add(binomial(rand, nc, p.rate), nc, binomial(rand, nb, p.rate), nb);
        if (ep.logE() >= Math.log(1 / alpha)) {
          rejections++;
          break;
        }
      }
    }
    const slack = 3 * Math.sqrt((alpha * (1 - alpha)) / runs);
    expect(rejections / runs).toBeLessThanOrEqual(alpha + slack);
  });

  it('pooling sparse intervals keeps false rollbacks within alpha (600 orders/day regime)', () => {
    const alpha = 0.05;
    const runs = 800;
    let rejections = 0;
    for (let s = 0; s < runs; s++) {
      const rand = seededRandom(50_000 + s);
      const ep = new SplitBinomialEProcess(DEFAULT_JUDGE_CONFIG.prior, false, 15);
      for (let t = 0; t < 600; t++) {
        const share = t < 100 ? 0.05 : t < 300 ? 0.25 : 0.5;
        // About 0.4 orders a minute, like 600/day: most minutes hold no order or one version only.
        const n = rand() < 0.35 ? 1 : rand() < 0.05 ? 2 : 0;
        const nc = binomial(rand, n, share);
        const nb = n - nc;
        ep.add(binomial(rand, nc, 0.2), nc, binomial(rand, nb, 0.2), nb);
        if (ep.logE() >= Math.log(1 / alpha)) {
          rejections++;
          break;
        }
      }
    }
    expect(rejections / runs).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs));
  });

  it('the judge function itself, called after every interval, stays within alpha on A/A', () => {
    const alpha = 0.1;
    const runs = 150;
    let rejections = 0;
    for (let s = 0; s < runs; s++) {
      const rand = seededRandom(1000 + s);
      const intervals = eventStream(rand, {
        intervals: 25,
        orders: 30,
        share: 0.3,
        baseRate: 0.05,
        canaryRate: 0.05,
      });
      for (let t = 1; t <= intervals.length; t++) {
        const r = sequentialJudge({
          series: [{ kind: 'events', metric: ERRORS, intervals: intervals.slice(0, t) }],
          config: { alpha },
        });
        if (r.verdict === 'fail') {
          rejections++;
          break;
        }
      }
    }
    expect(rejections / runs).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs));
  });
});
