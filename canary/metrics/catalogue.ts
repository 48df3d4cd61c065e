import { PROCESSING_BUCKETS, SERIES } from './names.ts';

/**
 * The metric catalogue: each metric shipgate judges, declared once. Gates (PromQL or
 * direct scrape), dashboards, recording/alert rules and report charts are all derived
 * from these declarations, so they cannot drift apart.
 *
 * Two kinds are judged:
 * - `events`: a harmful outcome counted per order (late, cutoff missed, error, slower
 *   than the latency SLO). The value is bad/total; the sequential judge uses the counts.
 * - `quantile`: a latency quantile from a histogram, for threshold judges and charts.
 * `raw` is the escape hatch for a user's own PromQL.
 */

/** A counter, optionally narrowed by label matchers, summed over everything else. */
export interface CounterSelector {
  series: string;
  matchers?: Record<string, string>;
}

/** Observations of a histogram above `le` count as bad: total minus the `le` bucket. */
export interface ExceedanceSelector {
  histogram: string;
  le: number;
}

interface MetricBase {
  id: string;
  title: string;
  description: string;
  /** `leading` moves minutes after a bad release; `lagging` is what customers feel, days later. */
  indicator: 'leading' | 'lagging';
  unit: 'ratio' | 'seconds' | 'per_second';
  direction: 'higher-is-worse' | 'lower-is-worse';
  slo?: { op: '<=' | '>='; value: number };
}

export interface EventsMetric extends MetricBase {
  kind: 'events';
  /** Counts of harmful outcomes; an ExceedanceSelector for "slower than the SLO". */
  bad: CounterSelector | ExceedanceSelector;
  total: CounterSelector;
  /** Report the metric as good/total (e.g. on-time rate) rather than bad/total. */
  reportAs?: 'bad-ratio' | 'good-ratio';
}

export interface QuantileMetric extends MetricBase {
  kind: 'quantile';
  histogram: string;
  quantile: number;
}

export interface RawMetric extends MetricBase {
  kind: 'raw';
  /** PromQL with `$version` and `$window` placeholders; must return one sample. */
  promql: string;
}

export type MetricDecl = EventsMetric | QuantileMetric | RawMetric;

/** Default latency SLO: an order fully processed (reserved, rated, shipment bought) within 1 s. */
export const LATENCY_SLO_SECONDS = 1;
if (!PROCESSING_BUCKETS.includes(LATENCY_SLO_SECONDS as (typeof PROCESSING_BUCKETS)[number])) {
  throw new Error('the latency SLO must be a histogram bucket boundary');
}

export const CATALOGUE = [
  {
    id: 'on_time_rate',
    title: 'On-time delivery rate',
    description: 'Share of delivered orders that arrived by their promised date.',
    kind: 'events',
    bad: { series: SERIES.deliveries, matchers: { on_time: 'false' } },
    total: { series: SERIES.deliveries },
    reportAs: 'good-ratio',
    indicator: 'lagging',
    unit: 'ratio',
    direction: 'lower-is-worse',
    slo: { op: '>=', value: 0.95 },
  },
  {
    id: 'processing_over_slo',
    title: 'Orders slower than the processing SLO',
    description: `Share of orders whose processing took longer than ${LATENCY_SLO_SECONDS}s.`,
    kind: 'events',
    bad: { histogram: SERIES.processingSeconds, le: LATENCY_SLO_SECONDS },
    total: { series: `${SERIES.processingSeconds}_count` },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'eta_past_promise',
    title: 'Predicted ETA past promise',
    description: 'Share of shipped orders whose carrier ETA is later than the delivery promise.',
    kind: 'events',
    bad: { series: SERIES.etaPastPromise },
    total: { series: SERIES.ordersProcessed, matchers: { outcome: 'shipped' } },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'cutoff_missed',
    title: 'Dispatch cutoff misses',
    description: 'Share of shipped orders that missed the warehouse cutoff they arrived in time for.',
    kind: 'events',
    bad: { series: SERIES.cutoffMissed },
    total: { series: SERIES.ordersProcessed, matchers: { outcome: 'shipped' } },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.02 },
  },
  {
    id: 'error_rate',
    title: 'Order processing errors',
    description: 'Share of processed orders that ended in an error (not counting out-of-stock).',
    kind: 'events',
    bad: { series: SERIES.ordersProcessed, matchers: { outcome: 'error' } },
    total: { series: SERIES.ordersProcessed },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.01 },
  },
  {
    id: 'processing_p95',
    title: 'Order processing latency p95',
    description: '95th percentile of order processing time.',
    kind: 'quantile',
    histogram: SERIES.processingSeconds,
    quantile: 0.95,
    indicator: 'leading',
    unit: 'seconds',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: LATENCY_SLO_SECONDS },
  },
] as const satisfies readonly MetricDecl[];

export type CatalogueMetricId = (typeof CATALOGUE)[number]['id'];

export function metricById(id: string, catalogue: readonly MetricDecl[] = CATALOGUE): MetricDecl | undefined {
  return catalogue.find((m) => m.id === id);
}
