import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { num } from './format.ts';
import { inconclusiveBudget } from './inconclusive-budget.ts';
import { JUDGES } from './index.ts';
import { ERRORS, eventStream, LATENCY, ON_TIME } from './testing.ts';
import type { JudgeConfig, JudgeInput, JudgeResult, LatencyInterval } from './types.ts';

/**
 * What a judge may say about α. α bounds P(rollback | the canary is no worse): how often a
 * release as good as the current one is rolled back. It is not the probability that a
 * given rollback is a false one (that depends on how often releases are bad), and
 * change-management reviewers read the reasons literally (issue 22).
 */
const FORBIDDEN = [
  /chance (that )?this (rollback |alarm |failure )?is (a )?false/i,
  /chance (this|it) is a false alarm/i,
  /probability (that )?this\b.*\bfalse/i,
  /(chance|probability|likelihood|odds)\b[^.]*\b(false alarm|false rollback|wrong)\b[^.]*\bat most/i,
  /\bat most [\d.]+% (chance|likely|probability)\b[^.]*\b(false|wrong)/i,
  /this (rollback|alarm|decision) is (a )?false[^.]*\b(at most|below|under)\b/i,
  /\b\d+(\.\d+)?% (sure|certain|confident) (that )?(this|the canary)\b/i,
];

const BOUNDS = [0.25, 0.5, 1, 2];

/** Latency histograms (cumulative le counts) with every order's latency scaled by `slow`. */
function latencyStream(intervals: number, orders: number, slow: number): LatencyInterval[] {
  const rand = seededRandom(11);
  const draw = (n: number, scale: number) => {
    const le = BOUNDS.map(() => 0);
    for (let i = 0; i < n; i++) {
      const x = 0.3 * Math.exp(0.5 * (rand() + rand() + rand() - 1.5)) * scale;
      BOUNDS.forEach((b, k) => {
        if (x <= b) le[k]!++;
      });
    }
    return { buckets: le, count: n };
  };
  return Array.from({ length: intervals }, (_, t) => ({
    end: t,
    canary: draw(orders / 2, slow),
    baseline: draw(orders / 2, 1),
  }));
}

function input(kind: 'bad' | 'good' | 'early' | 'missing', config: Partial<JudgeConfig> = {}): JudgeInput {
  const rand = seededRandom(kind.length * 7 + 1);
  const n = kind === 'early' ? 2 : 40;
  const errors = eventStream(rand, {
    intervals: n,
    orders: 200,
    share: 0.5,
    baseRate: 0.005,
    canaryRate: kind === 'bad' ? 0.02 : 0.005,
  });
  const onTime = eventStream(rand, {
    intervals: n,
    orders: 200,
    share: 0.5,
    baseRate: 0.03,
    canaryRate: 0.03,
  });
  const latency = latencyStream(n, 200, 1);
  if (kind === 'missing') errors[errors.length - 1] = { end: n - 1, canary: null, baseline: null };
  return {
    series: [
      { kind: 'events', metric: ERRORS, intervals: errors },
      { kind: 'events', metric: ON_TIME, intervals: onTime },
      { kind: 'latency', metric: LATENCY, bounds: BOUNDS, intervals: latency },
    ],
    config,
  };
}

function texts(r: JudgeResult): string[] {
  return [r.reason, ...r.metrics.map((m) => m.reason)];
}

const CONFIGS: Partial<JudgeConfig>[] = [
  {},
  { alpha: 0.05 },
  { combine: 'split' },
  { metricWeights: { error_rate: 2 } },
  { passRule: 'bounded-harm' },
];

describe("the judges' reasons", () => {
  const results = Object.entries(JUDGES).flatMap(([name, judge]) =>
    CONFIGS.flatMap((config) =>
      (['bad', 'good', 'early', 'missing'] as const).map((kind) => ({
        name,
        kind,
        config,
        result: judge(input(kind, config)),
      })),
    ),
  );

  it('cover a fail, a pass and an inconclusive verdict from every judge', () => {
    for (const name of Object.keys(JUDGES)) {
      const verdicts = new Set(results.filter((r) => r.name === name).map((r) => r.result.verdict));
      expect([name, [...verdicts].sort()]).toEqual([name, ['fail', 'inconclusive', 'pass']]);
    }
  });

  it('never state α as the probability that a given rollback is false', () => {
    const all = [
      ...results.flatMap((r) => texts(r.result)),
      ...[0, 1, 3].map(
        (k) =>
          inconclusiveBudget(
            Array.from({ length: k }, () => ({
              verdict: 'inconclusive' as const,
              inconclusiveKind: 'missing-data' as const,
            })),
            { maxConsecutive: 3 },
          ).reason,
      ),
    ];
    expect(all.length).toBeGreaterThan(100);
    for (const text of all)
      for (const bad of FORBIDDEN) expect({ text, match: bad.test(text) }).toEqual({ text, match: false });
  });

  it('write huge e-values as a power of ten, not as digit-grouped exponent notation', () => {
    expect(num(3.6350890901957984e261)).toBe('3.6×10^261');
    expect(num(123456)).toBe('123,456');
  });

  it('catch the sentence shipgate used to write, so the check can fail', () => {
    const old =
      'The canary is worse than the baseline on Order processing errors: the combined e-value 173 reached 1/α = 20, so the chance this is a false alarm is at most 5.0%.';
    expect(FORBIDDEN.some((r) => r.test(old))).toBe(true);
    expect(FORBIDDEN.some((r) => r.test('The probability that this rollback is a false one is 1%.'))).toBe(
      true,
    );
  });

  it('say what α does bound on a sequential rollback, and that the combined e-value is the mean of the metrics', () => {
    const fail = results.find((r) => r.name === 'sequential' && r.kind === 'bad' && r.config.alpha === 0.05)!;
    expect(fail.result.verdict).toBe('fail');
    expect(fail.result.reason).toMatch(
      /a release as good as the current one would be rolled back this way at most 5% of the time/,
    );
    expect(fail.result.reason).toMatch(
      /combined e-value [\d,.]+, the mean of the 3 metrics' e-values, reached 1\/α = 20/,
    );
    // Each metric's reason says how its e-value enters that mean: e / 3.
    for (const m of fail.result.metrics) {
      const e = m.statistic.eValue!;
      expect(m.reason).toMatch(/it contributes [\d,.e+-]+ to the combined e-value, the mean over 3 metrics/);
      const contributed = Number(/contributes ([\d,.e+-]+)/.exec(m.reason)![1]!.replace(/,/g, ''));
      // Shown to 3 significant digits.
      expect(Math.abs(contributed - e / 3)).toBeLessThanOrEqual(Math.abs(e / 3) * 0.005);
    }
    const weighted = results.find(
      (r) => r.name === 'sequential' && r.kind === 'bad' && r.config.metricWeights !== undefined,
    )!;
    expect(weighted.result.reason).toMatch(/the weighted mean of the 3 metrics' e-values/);
    const split = results.find(
      (r) => r.name === 'sequential' && r.kind === 'bad' && r.config.combine === 'split',
    )!;
    expect(split.result.reason).toMatch(/α split over the 3 metrics/);
    expect(split.result.reason).not.toMatch(/mean of/);
  });
});
