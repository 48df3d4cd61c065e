import type { MetricDecl } from '../metrics/catalogue.ts';
import { eventsValue, histogramQuantile } from '../metrics/evaluate.ts';
import type { IntervalBuckets, IntervalEvents, IntervalMetric } from './deltas.ts';
import { missing, type Reading, readingOf } from './source.ts';

/**
 * A metric's value per version over a run of intervals (the last N from the step
 * controller's history): the direct-scrape counterpart of PrometheusSource.windowed,
 * and the value threshold judges and charts read. Pure.
 *
 * Missing intervals are skipped, not zero: the next good interval already covers the
 * gap (deltas.ts keeps the baseline). If every interval is missing, the window is too,
 * with the latest reason. No orders in the window is NaN → missing, never a pass.
 */
export function windowValue(
  metric: MetricDecl,
  intervals: readonly IntervalMetric[],
): Record<string, Reading<number>> {
  const versions = new Set(intervals.flatMap((i) => Object.keys(i.byVersion)));
  const out: Record<string, Reading<number>> = {};
  for (const version of versions) {
    const readings = intervals.map((i) => i.byVersion[version]).filter((r) => r !== undefined);
    const good = readings.filter((r) => r.ok).map((r) => (r as { value: unknown }).value);
    const latest = readings[readings.length - 1];
    if (metric.kind === 'raw') {
      out[version] = (latest as Reading<number> | undefined) ?? missing('empty', 'no interval yet');
      continue;
    }
    if (good.length === 0) {
      out[version] = latest && !latest.ok ? latest : missing('empty', 'no interval yet');
      continue;
    }
    if (metric.kind === 'events') {
      const counts = (good as IntervalEvents[]).reduce(
        (a, c) => ({ bad: a.bad + c.bad, total: a.total + c.total }),
        { bad: 0, total: 0 },
      );
      out[version] =
        counts.total > 0
          ? readingOf(eventsValue(metric, counts), `${metric.id} of version "${version}"`)
          : missing('nan', `no orders of version "${version}" in the window`);
      continue;
    }
    const buckets = good as IntervalBuckets[];
    const le = buckets[0]!.le;
    if (buckets.some((b) => b.le.length !== le.length || b.le.some((x, i) => x !== le[i]))) {
      out[version] = missing('error', `bucket boundaries of ${metric.id} changed within the window`);
      continue;
    }
    const counts = le.map((_, i) => buckets.reduce((a, b) => a + b.counts[i]!, 0));
    out[version] = readingOf(
      histogramQuantile(metric.quantile, le, counts),
      `${metric.id} of version "${version}"`,
    );
  }
  return out;
}
