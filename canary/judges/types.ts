import type { MetricDecl, MetricMargin } from '../metrics/catalogue.ts';

/**
 * The judges' contract: what a metric source / step controller hands a judge, and what
 * comes back. Judges are pure functions of these values (no I/O, no clock), so the same
 * input always yields the same verdict and evidence.
 */

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/**
 * Why a verdict is inconclusive. The inconclusive budget counts `missing-data` (and
 * errored evaluations) by default; `not-enough-evidence` is the normal state early in a
 * step and is the step controller's business (minimum duration / maximum duration).
 */
export type InconclusiveKind = 'missing-data' | 'not-enough-evidence' | 'marginal';

/** The part of a catalogue declaration a judge reads. Any `MetricDecl` fits. */
export type JudgedMetric = Pick<
  MetricDecl,
  'id' | 'title' | 'direction' | 'slo' | 'indicator' | 'unit' | 'margin'
> & {
  /** For events metrics: the reported value is good/total (e.g. on-time rate) rather than bad/total. */
  reportAs?: 'bad-ratio' | 'good-ratio';
  /** For latency metrics: the quantile reported and thresholded (default 0.95). */
  quantile?: number;
};

/** Counter increases over one interval for one version. `bad` are harmful outcomes among `total`. */
export interface EventCounts {
  bad: number;
  total: number;
}

/**
 * One scrape interval of an events metric. `null` for a version means the query failed,
 * returned an empty vector, NaN or Inf: missing data. `{ bad: 0, total: 0 }` is a real
 * observation of no traffic (no information, but not missing).
 */
export interface EventsInterval {
  /** End of the interval (epoch ms, virtual or real). Evidence only; judges never read a clock. */
  end?: number;
  baseline: EventCounts | null;
  canary: EventCounts | null;
}

/**
 * Latency observed in one interval for one version: either raw samples (seconds) or
 * histogram bucket increases. `buckets[i]` is the cumulative count of observations
 * `<= bounds[i]` (Prometheus `le` semantics, +Inf excluded) and `count` is the total.
 */
export type LatencyObservation =
  | { samples: readonly number[] }
  | { buckets: readonly number[]; count: number };

export interface LatencyInterval {
  end?: number;
  baseline: LatencyObservation | null;
  canary: LatencyObservation | null;
}

export interface EventsSeries {
  kind: 'events';
  metric: JudgedMetric;
  /** Oldest first: every interval since the rollout (or the window being judged) began. */
  intervals: readonly EventsInterval[];
}

export interface LatencySeries {
  kind: 'latency';
  metric: JudgedMetric;
  /** Histogram upper bounds in seconds, ascending, without +Inf. Required for histogram observations. */
  bounds: readonly number[];
  intervals: readonly LatencyInterval[];
}

export type MetricSeries = EventsSeries | LatencySeries;

/** Configuration shared by the judges; every field has a default (see `config.ts`). */
export interface JudgeConfig {
  /** Anytime-valid false-rollback bound of the sequential judge (whole rollout, all metrics). */
  alpha: number;
  /**
   * Prior over the harm ratio θ (canary bad-event rate ÷ baseline's), as points and
   * weights (normalised internally). The sequential e-process is the likelihood ratio
   * mixed over it.
   */
  prior: readonly { theta: number; weight: number }[];
  /** How several metrics' e-values combine: `mean` (default) or Bonferroni `split` of alpha. */
  combine: 'mean' | 'split';
  /**
   * How harm is parametrised in the sequential test: `odds` (default) = exact conditional
   * test on the odds ratio of a bad outcome (Fisher's noncentral hypergeometric; uses the
   * good orders too); `rate` = the binomial split of events by share on the rate ratio.
   * The two coincide for rare events.
   */
  model: 'odds' | 'rate';
  /**
   * Consecutive intervals the sequential judge may pool into one block until both versions
   * have served orders (low traffic: a 1-minute interval often has orders of one version only).
   */
  poolIntervals: number;
  /** Relative weights of metrics in the mean (by metric id; default 1 each). */
  metricWeights?: Readonly<Record<string, number>>;
  /**
   * When the sequential judge passes: `min-samples` = no alarm and at least
   * `minCanarySamples` canary observations on every leading metric; `bounded-harm` =
   * no alarm and the anytime-valid upper bound on θ at most `maxHarmRatio` on every
   * leading metric.
   */
  passRule: 'min-samples' | 'bounded-harm';
  minCanarySamples: number;
  maxHarmRatio: number;
  /**
   * A pooled block also needs at least this many orders (both versions together) before it
   * closes, within `poolIntervals`: at low traffic a block of a few orders caps the evidence
   * one canary order can give (its rank among few), so a slightly longer block pays off.
   */
  minBlockOrders: number;
  /**
   * Latency: prior over the shift of the canary's latency distribution, in the baseline's
   * standard deviations of normal scores (for lognormal latency, of log-latency), as
   * points and weights. The latency e-process is the likelihood ratio mixed over it.
   */
  latencyShifts: readonly { shift: number; weight: number }[];
  /**
   * Sequential judge: the margin a metric without its own `margin` gets, per kind. The
   * null hypothesis becomes "the canary is no worse than the baseline plus the margin";
   * the priors above then describe regressions beyond it.
   */
  margins: { events: MetricMargin; latency: MetricMargin };
  /** Mann-Whitney: two-sided confidence level (Kayenta's default judge uses 98%). */
  confidence: number;
  /** Mann-Whitney: minimum ratio of canary to baseline mean (worse direction) before a significant difference counts. */
  allowedChange: number;
  /** Mann-Whitney: a metric needs at least this many points per version. */
  minPoints: number;
  /** Mann-Whitney scoring (Kayenta): score below `marginalScore` fails, at or above `passScore` passes. */
  marginalScore: number;
  passScore: number;
  /** Threshold judge: minimum canary observations before a within-SLO value passes. */
  minThresholdSamples: number;
}

export type TestName =
  | 'threshold'
  | 'mann-whitney-u'
  | 'sequential-split-binomial'
  | 'sequential-latency-shift';

export interface VersionEvidence {
  /** The metric's reported value (ratio, or seconds for latency), null when there is no data. */
  value: number | null;
  /** Observations behind it (orders, deliveries, latency samples, or points for Mann-Whitney). */
  samples: number;
  /** Harmful events counted, for events-based tests. */
  bad?: number;
}

export interface MetricEvidence {
  metricId: string;
  title: string;
  verdict: Verdict;
  inconclusiveKind?: InconclusiveKind;
  test: TestName;
  canary: VersionEvidence;
  baseline: VersionEvidence;
  /** The test statistic(s): e.g. `eValue`, `logEValue`, `thetaUpper`; `U`, `z`, `p`, `effectSize`. */
  statistic: Readonly<Record<string, number | null>>;
  /** What the statistic is compared with, e.g. `{ name: '1/alpha', op: '>=', value: 100 }`. */
  threshold: { name: string; op: '<=' | '>=' | '<' | '>'; value: number };
  /**
   * The null hypothesis the test weighed the evidence against, with the metric's margin,
   * e.g. "canary no worse than baseline + 10%" (sequential judge).
   */
  hypothesis?: string;
  /** Intervals with missing data among those judged. */
  missingIntervals: number;
  /** One plain-English sentence for a reviewer. */
  reason: string;
}

export interface JudgeResult {
  judge: 'threshold' | 'mann-whitney' | 'sequential';
  verdict: Verdict;
  inconclusiveKind?: InconclusiveKind;
  /** One plain-English sentence for the whole evaluation. */
  reason: string;
  metrics: MetricEvidence[];
  /** Combined statistic across metrics, when the judge has one (sequential: the mean e-value). */
  combined?: Readonly<Record<string, number>>;
}

export interface JudgeInput {
  series: readonly MetricSeries[];
  config?: Partial<JudgeConfig>;
}

export type Judge = (input: JudgeInput) => JudgeResult;
