import { CATALOGUE, type MetricDecl, metricById } from '../../canary/metrics/catalogue.ts';
import { eventsValue, histogramQuantile } from '../../canary/metrics/evaluate.ts';
import { SERIES } from '../../canary/metrics/presets/builtin.ts';
import { advance } from '../../canary/sources/deltas.ts';
import type { SourceSnapshot } from '../../canary/sources/source.ts';
import type { ExpectationId } from '../catalogue/scenario.ts';
import type { Observed } from './judge.ts';

/**
 * The scenario SLOs measured from the platform's own metrics, through the metric
 * catalogue (canary/metrics/catalogue.ts) so scenarios, gates and dashboards read the
 * same series the same way. The p99 is not in the catalogue (the gate does not judge
 * it), so it is declared here on the catalogue's histogram.
 */
const PROCESSING_P99: MetricDecl = {
  id: 'processing_p99',
  title: 'Order processing latency p99',
  description: '99th percentile of order processing time.',
  kind: 'quantile',
  histogram: SERIES.processingSeconds,
  quantile: 0.99,
  indicator: 'leading',
  unit: 'seconds',
  direction: 'higher-is-worse',
};

/** Which metric measures each expectation (the rest come from the replay ledger). */
export const METRIC_FOR: Partial<Record<ExpectationId, string>> = {
  on_time_rate: 'on_time_rate',
  processing_p95_seconds: 'processing_p95',
  processing_p99_seconds: 'processing_p99',
  error_rate: 'error_rate',
  cutoff_missed_rate: 'cutoff_missed',
};

export const SCENARIO_METRICS: MetricDecl[] = [
  ...['on_time_rate', 'processing_p95', 'error_rate', 'cutoff_missed'].map(
    (id) => metricById(id, CATALOGUE)!,
  ),
  PROCESSING_P99,
];

/**
 * Observed SLO values of one version over the run: the difference between the snapshot
 * taken before the load and the one after settling (counter resets handled per part by
 * deltas.ts). Pure.
 */
export function observeMetrics(
  before: SourceSnapshot,
  after: SourceSnapshot,
  version: string,
): Partial<Record<ExpectationId, Observed>> {
  const first = advance(undefined, before);
  const { interval } = advance(first.baseline, after);
  const out: Partial<Record<ExpectationId, Observed>> = {};
  for (const [expectation, metricId] of Object.entries(METRIC_FOR) as [ExpectationId, string][]) {
    const decl = SCENARIO_METRICS.find((m) => m.id === metricId)!;
    const reading = interval.metrics[metricId]?.byVersion[version];
    if (!reading?.ok) {
      out[expectation] = {
        value: null,
        samples: 0,
        source: 'metrics',
        missing: reading && !reading.ok ? `${reading.missing.kind}: ${reading.missing.reason}` : 'no reading',
      };
      continue;
    }
    const v = reading.value as { bad?: number; total?: number; le?: number[]; counts?: number[] };
    if (decl.kind === 'events' && v.total !== undefined && v.bad !== undefined) {
      const value = eventsValue(decl, { bad: v.bad, total: v.total });
      out[expectation] = {
        value: Number.isNaN(value) ? null : value,
        samples: v.total,
        bad: v.bad,
        total: v.total,
        source: 'metrics',
        ...(Number.isNaN(value) ? { missing: 'no events in the run' } : {}),
      };
    } else if (decl.kind === 'quantile' && v.le && v.counts) {
      const value = histogramQuantile(decl.quantile, v.le, v.counts);
      const samples = v.counts[v.counts.length - 1] ?? 0;
      out[expectation] = {
        value: Number.isNaN(value) ? null : value,
        samples,
        source: 'metrics',
        ...(Number.isNaN(value) ? { missing: 'no observations in the run' } : {}),
      };
    }
  }
  return out;
}
