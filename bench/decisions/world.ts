import { errorFunction } from 'simple-statistics';
import { PROCESSING_BUCKETS } from '../../canary/metrics/presets/builtin.ts';

/**
 * The simulated world of the decision-quality benchmark: what a day of orders looks like
 * for the stable build, what each defect changes on the canary, and the rollout plan.
 * Defaults follow docs/DESIGN.md's domain section (hourly profile, ~97% on time).
 */

/** Orders per hour of day as a share of the day (%), from midnight (DESIGN.md). */
export const HOURLY_PROFILE = [
  2.2, 1.1, 0.6, 0.3, 0.2, 0.3, 0.5, 1.0, 3.2, 4.7, 6.4, 7.1, 5.5, 7.2, 6.6, 5.9, 6.6, 6.3, 5.7, 6.0, 6.2,
  6.2, 5.6, 4.4,
];

export interface VersionParams {
  /** Share of processed (non-error) orders delivered by their promise. */
  onTime: number;
  /** Share of orders that end in a processing error. */
  errorRate: number;
  /** Processing latency is lognormal: median seconds and log-sd. */
  latencyMedian: number;
  latencySigma: number;
}

export interface World {
  ordersPerDay: number;
  /** Virtual hour of day the rollout starts. */
  startHour: number;
  /** Predicted-ETA-past-promise flags: recall among orders that will be late, false-positive rate among the rest. */
  etaRecall: number;
  etaFalsePositive: number;
  /** Delivery promise after processing: uniform in [min, max] hours; a late order arrives after an exponential delay. */
  promiseHours: [number, number];
  lateDelayMeanHours: number;
  baseline: VersionParams;
}

export const STABLE: VersionParams = {
  onTime: 0.97,
  errorRate: 0.005,
  latencyMedian: 0.264,
  latencySigma: 0.5,
};

export function defaultWorld(ordersPerDay: number): World {
  return {
    ordersPerDay,
    startHour: 8,
    etaRecall: 0.8,
    etaFalsePositive: 0.005,
    promiseHours: [4, 72],
    lateDelayMeanHours: 24,
    baseline: STABLE,
  };
}

export interface Defect {
  id: string;
  label: string;
  canary: VersionParams;
  /**
   * An A/A cell where the canary is slightly worse but within the judge's default margin:
   * every rollback there is a false one (shown beside the A/A column, not as a defect).
   */
  withinMargin?: boolean;
  /**
   * Cold start: for `minutes` after each weight step begins (new canary pods), every
   * canary order's latency is × (1 + extra·(1 − s/minutes)), s the minutes since the step began.
   */
  coldStart?: { extra: number; minutes: number };
}

/** A cell whose rollbacks are false ones: A/A, or a canary within the margin. */
export function isFalseRollbackCell(d: Defect): boolean {
  return d.id === 'aa' || d.withinMargin === true;
}

/** The grid of issue 9. Latency defects scale every order's processing time (so p95 scales too). */
export const DEFECTS: readonly Defect[] = [
  { id: 'aa', label: 'A/A (identical)', canary: STABLE },
  {
    id: 'aa-slow3',
    label: 'A/A, latency 3% slower',
    canary: { ...STABLE, latencyMedian: STABLE.latencyMedian * 1.03 },
    withinMargin: true,
  },
  {
    id: 'aa-cold',
    label: 'A/A, cold start (+30% latency fading over 10 min after each step)',
    canary: STABLE,
    withinMargin: true,
    coldStart: { extra: 0.3, minutes: 10 },
  },
  { id: 'ontime-90', label: 'on-time 97%→90%', canary: { ...STABLE, onTime: 0.9 } },
  { id: 'ontime-80', label: 'on-time 97%→80%', canary: { ...STABLE, onTime: 0.8 } },
  {
    id: 'p95-x1.5',
    label: 'p95 latency ×1.5',
    canary: { ...STABLE, latencyMedian: STABLE.latencyMedian * 1.5 },
  },
  { id: 'p95-x3', label: 'p95 latency ×3', canary: { ...STABLE, latencyMedian: STABLE.latencyMedian * 3 } },
  { id: 'errors-3', label: 'errors 0.5%→3%', canary: { ...STABLE, errorRate: 0.03 } },
];

export const TRAFFIC = [600, 6_000, 60_000] as const;

/**
 * The step plan: canary weight (%) and how long each step lasts (minutes). 100% is the
 * promotion itself, so the rollout ends when the 50% step completes. Steps last their
 * minimum duration here: the benchmark asks who rolls back and when, so every policy
 * sees the same plan and the same orders.
 */
export interface StepPlan {
  weights: readonly number[];
  minutes: readonly number[];
}

export const DEFAULT_PLAN: StepPlan = { weights: [1, 5, 25, 50], minutes: [120, 240, 480, 600] };

export function planMinutes(plan: StepPlan): number {
  return plan.minutes.reduce((a, b) => a + b, 0);
}

/** Histogram bounds of the platform's processing-latency metric (the catalogue's). */
export const BOUNDS: readonly number[] = PROCESSING_BUCKETS;

/** Probability of each latency bucket (len BOUNDS + 1, last is +Inf) for a lognormal. */
export function bucketProbabilities(v: VersionParams): Float64Array {
  const cdf = (x: number) =>
    0.5 * (1 + errorFunction(Math.log(x / v.latencyMedian) / (v.latencySigma * Math.SQRT2)));
  const p = new Float64Array(BOUNDS.length + 1);
  let prev = 0;
  BOUNDS.forEach((b, i) => {
    const c = cdf(b);
    p[i] = Math.max(0, c - prev);
    prev = c;
  });
  p[BOUNDS.length] = Math.max(0, 1 - prev);
  return p;
}

/** Per-order chance of an ETA-past-promise flag among processed orders. */
export function etaRate(world: World, v: VersionParams): number {
  return (1 - v.onTime) * world.etaRecall + v.onTime * world.etaFalsePositive;
}
