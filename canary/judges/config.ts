import type { JudgeConfig } from './types.ts';

/**
 * Default judge configuration. The sequential judge's values were tuned with the
 * decision-quality benchmark (`npm run bench:decisions`, see docs/benchmarks.md).
 */
export const DEFAULT_JUDGE_CONFIG: Readonly<JudgeConfig> = Object.freeze({
  // Anytime-valid: P(any false rollback during the whole rollout) <= 1%, however often it looks.
  alpha: 0.01,
  // Harm ratios worth catching fast: three log-spaced points a factor 2 apart, so any
  // θ in about [1.8, 14] is within √2 of a point (the likelihood ratio then loses little),
  // and each point costs only log 3 of evidence. Benchmarked against {1.5,2,3,5,10},
  // {2,4,8,16}, {3,6,12}: within ±10% on exposure, best detection of the 6x error defect.
  prior: Object.freeze([
    { theta: 2.5, weight: 1 },
    { theta: 5, weight: 1 },
    { theta: 10, weight: 1 },
  ]),
  combine: 'mean',
  model: 'odds',
  // Up to 30 one-minute intervals, only while one version has served no orders: at 600
  // orders/day this lifts detection from a few % to ~70-80% (benchmark, 15 vs 60 compared)
  // while keeping blocks short enough to treat per-order rates as constant inside them.
  poolIntervals: 30,
  // ...and until the block holds 30 orders: at 600 orders/day one canary order among three
  // baseline orders can say little; among thirty it can say a lot. Benchmarked against 2, 8,
  // 16, 50 and 100 (with 30-120 intervals): 30 was as good as
  // any of them in every cell, within the Monte Carlo noise.
  minBlockOrders: 30,
  passRule: 'min-samples',
  minCanarySamples: 100,
  // Shifts of ½, 1 and 2 standard deviations (log-latency ×1.3, ×1.6, ×2.7 at σ = 0.5):
  // benchmarked against {0.4, 0.8, 1.6}, {0.7, 1.4}, {1} and {0.5, 1, 2, 4}, within ±5% of
  // the best on exposure in every latency cell.
  latencyShifts: Object.freeze([
    { shift: 0.5, weight: 1 },
    { shift: 1, weight: 1 },
    { shift: 2, weight: 1 },
  ]),
  // A regression worth a rollback is one beyond these (a metric's own `margin` wins).
  // Latency 5% slower: a fresh pod or a busier node shifts latency by a few percent, and
  // the plain test reacts to shifts from about ¼ sd of log-latency (issue 18). In the
  // benchmark's A/A cell with a canary cold for 10 minutes after each step it cuts false
  // rollbacks at 60,000/day from 3% to 0.4%, and keeps every within-margin cell ≤ 1%, for
  // 26-35% more canary orders exposed to a p95 ×1.5 regression (docs/benchmarks.md,
  // "Margins"). Events: none by default. The prior's smallest harm ratio (2.5) already
  // makes the plain test blind to a rate a few percent higher, and a 10% margin cost
  // 13-21% more orders exposed to the error and on-time defects; set one per metric.
  margins: Object.freeze({
    events: Object.freeze({}),
    latency: Object.freeze({ relative: 0.05 }),
  }),
  maxHarmRatio: 2,
  confidence: 0.98,
  allowedChange: 1,
  minPoints: 3,
  marginalScore: 75,
  passScore: 95,
  minThresholdSamples: 1,
} satisfies JudgeConfig);

export function resolveConfig(partial: Partial<JudgeConfig> | undefined): JudgeConfig {
  const config = { ...DEFAULT_JUDGE_CONFIG, ...partial };
  if (!(config.alpha > 0 && config.alpha < 1))
    throw new RangeError(`alpha must be in (0, 1), got ${config.alpha}`);
  if (config.prior.length === 0) throw new RangeError('the prior needs at least one point');
  for (const p of config.latencyShifts) {
    if (!(p.shift > 0) || !(p.weight > 0)) {
      throw new RangeError(
        `latency shifts need shift > 0 and weight > 0, got shift=${p.shift} weight=${p.weight}`,
      );
    }
  }
  if (!(config.minBlockOrders >= 0))
    throw new RangeError(`minBlockOrders must be >= 0, got ${config.minBlockOrders}`);
  for (const [kind, m] of Object.entries(config.margins)) checkMargin(m, `margins.${kind}`);
  for (const p of config.prior) {
    if (!(p.theta > 1) || !(p.weight > 0)) {
      throw new RangeError(
        `prior points need theta > 1 and weight > 0, got theta=${p.theta} weight=${p.weight}`,
      );
    }
  }
  return config;
}

/** A margin the judges can use: relative ≥ 0, absolute in [0, 1) (a rate difference). */
export function checkMargin(m: { relative?: number; absolute?: number }, where: string): void {
  if (m.relative !== undefined && !(m.relative >= 0 && Number.isFinite(m.relative)))
    throw new RangeError(`${where}.relative must be a number >= 0, got ${m.relative}`);
  if (m.absolute !== undefined && !(m.absolute >= 0 && m.absolute < 1))
    throw new RangeError(`${where}.absolute must be in [0, 1), got ${m.absolute}`);
}
