import type {
  EventsInterval,
  JudgedMetric,
  MetricSeries as JudgeSeries,
  LatencyInterval,
  LatencyObservation,
} from '../judges/types.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import type { IntervalBuckets, IntervalCounts, IntervalEvents } from '../sources/deltas.ts';
import type { Reading } from '../sources/source.ts';

/**
 * From the sources' interval counts to the judges' series, pure.
 *
 * One rule beyond the sources': a counter that does not exist yet is zero, not
 * missing, when the same version answered for other metrics in the same snapshot.
 * Prometheus clients only export a labelled counter once it fires, so before the
 * first delivery the on-time counters of a healthy canary are absent, exactly as
 * they would be with a typo in the selector. Reading that as "nothing counted" is
 * safe here: zeros are no evidence, so they can never make the judge pass a metric
 * (it needs canary samples on every leading metric) — while reading it as missing
 * would roll back every rollout that starts before its first delivery. An outage
 * (`error`), NaN or Inf stays missing.
 */

export interface Versions {
  canary: string;
  baseline: string;
}

export interface RolloutSeries {
  /** Per judged metric, in catalogue order. */
  series: JudgeSeries[];
}

export function emptySeries(metrics: readonly MetricDecl[]): JudgeSeries[] {
  return metrics.flatMap((m): JudgeSeries[] => {
    const metric = judgedMetric(m);
    if (m.kind === 'events') return [{ kind: 'events', metric, intervals: [] }];
    if (m.kind === 'quantile') return [{ kind: 'latency', metric, bounds: [], intervals: [] }];
    return []; // raw PromQL is windowed, not counts: charted but not judged sequentially
  });
}

export function judgedMetric(m: MetricDecl): JudgedMetric {
  return {
    id: m.id,
    title: m.title,
    direction: m.direction,
    indicator: m.indicator,
    unit: m.unit,
    ...(m.slo ? { slo: m.slo } : {}),
    ...(m.margin ? { margin: m.margin } : {}),
    ...(m.kind === 'events' && m.reportAs ? { reportAs: m.reportAs } : {}),
    ...(m.kind === 'quantile' ? { quantile: m.quantile } : {}),
  };
}

/** Versions with at least one good reading in this interval: their targets answered. */
function reachable(interval: IntervalCounts, versions: Versions): Set<string> {
  const out = new Set<string>();
  for (const v of [versions.canary, versions.baseline]) {
    if (Object.values(interval.metrics).some((m) => m.byVersion[v]?.ok === true)) out.add(v);
  }
  return out;
}

function eventsOf(r: Reading<IntervalEvents> | undefined, zeroIfEmpty: boolean): EventsInterval['canary'] {
  if (r?.ok) return { bad: r.value.bad, total: r.value.total };
  if (zeroIfEmpty && r?.missing.kind === 'empty') return { bad: 0, total: 0 };
  return null;
}

function latencyOf(
  r: Reading<IntervalBuckets> | undefined,
  zeroIfEmpty: boolean,
  bounds: number,
): LatencyObservation | null {
  if (r?.ok) {
    const finite = r.value.le
      .map((le, i) => [le, r.value.counts[i]!] as const)
      .filter(([le]) => Number.isFinite(le));
    const count = r.value.counts[r.value.counts.length - 1] ?? 0;
    return { buckets: finite.map(([, c]) => c), count };
  }
  if (zeroIfEmpty && r?.missing.kind === 'empty' && bounds > 0)
    return { buckets: new Array(bounds).fill(0), count: 0 };
  return null;
}

/** Appends one interval to every series (returns new series; the input is not changed). */
export function appendInterval(
  series: readonly JudgeSeries[],
  interval: IntervalCounts,
  versions: Versions,
): JudgeSeries[] {
  const up = reachable(interval, versions);
  return series.map((s): JudgeSeries => {
    const m = interval.metrics[s.metric.id];
    if (s.kind === 'events') {
      const byVersion = m?.kind === 'events' ? m.byVersion : {};
      const iv: EventsInterval = {
        end: interval.to,
        canary: eventsOf(byVersion[versions.canary], up.has(versions.canary)),
        baseline: eventsOf(byVersion[versions.baseline], up.has(versions.baseline)),
      };
      return { ...s, intervals: [...s.intervals, iv] };
    }
    const byVersion = m?.kind === 'quantile' ? m.byVersion : {};
    let bounds = s.bounds;
    for (const v of [versions.canary, versions.baseline]) {
      const r = byVersion[v];
      if (r?.ok && bounds.length === 0) bounds = r.value.le.filter((le) => Number.isFinite(le));
    }
    const iv: LatencyInterval = {
      end: interval.to,
      canary: latencyOf(byVersion[versions.canary], up.has(versions.canary), bounds.length),
      baseline: latencyOf(byVersion[versions.baseline], up.has(versions.baseline), bounds.length),
    };
    return { ...s, bounds, intervals: [...s.intervals, iv] };
  });
}

/** Canary (and baseline) orders in one interval: the largest total among events metrics. */
export function ordersIn(interval: IntervalCounts, version: string): number {
  let most = 0;
  for (const m of Object.values(interval.metrics)) {
    if (m.kind !== 'events') continue;
    const r = m.byVersion[version];
    if (r?.ok) most = Math.max(most, r.value.total);
  }
  return most;
}
