import { resolveConfig } from './config.ts';
import { num, reportedRatio, validCounts, valueText } from './format.ts';
import { exceedances, observationCount, pooledQuantile } from './latency.ts';
import type { JudgeInput, JudgeResult, LatencyObservation, MetricEvidence, MetricSeries } from './types.ts';

/**
 * Absolute SLO bounds on the canary alone, as Flagger's `thresholdRange` and Argo
 * Rollouts' `successCondition` do: the canary's value over the given intervals (pooled
 * counts for events metrics, the pooled quantile for latency) against the metric's SLO.
 * The caller picks the window (Flagger judges the last `interval`; pass one interval).
 *
 * Monotone by construction: for a fixed window, a worse value can only move a metric
 * from pass to fail, never back. No baseline is used, so a regression that stays inside
 * the SLO is invisible to it (that is what the comparative judges are for).
 */
export function thresholdJudge(input: JudgeInput): JudgeResult {
  const config = resolveConfig(input.config);
  const metrics = input.series.map((s) => judgeMetric(s, config.minThresholdSamples));
  const failed = metrics.filter((m) => m.verdict === 'fail');
  if (failed.length > 0) {
    return {
      judge: 'threshold',
      verdict: 'fail',
      reason: `The canary breaks its SLO on ${failed.map((m) => m.title).join(', ')}.`,
      metrics,
    };
  }
  const missing = metrics.filter((m) => m.inconclusiveKind === 'missing-data');
  if (missing.length > 0 || metrics.length === 0) {
    return {
      judge: 'threshold',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason:
        metrics.length === 0
          ? 'No metrics were given to judge.'
          : `No data for ${missing.map((m) => m.title).join(', ')}; a missing value is never a pass.`,
      metrics,
    };
  }
  const waiting = metrics.filter((m) => m.verdict === 'inconclusive');
  if (waiting.length > 0) {
    return {
      judge: 'threshold',
      verdict: 'inconclusive',
      inconclusiveKind: 'not-enough-evidence',
      reason: `Too few canary observations on ${waiting.map((m) => m.title).join(', ')}.`,
      metrics,
    };
  }
  return { judge: 'threshold', verdict: 'pass', reason: 'The canary meets every SLO.', metrics };
}

function judgeMetric(series: MetricSeries, minSamples: number): MetricEvidence {
  const metric = series.metric;
  let value: number | null = null;
  let samples = 0;
  let missing = 0;
  let bad: number | undefined;
  if (series.kind === 'events') {
    let b = 0;
    for (const iv of series.intervals) {
      const c = iv.canary;
      if (!c || !(c.total >= 0) || !(c.bad >= 0) || c.bad > c.total || !Number.isFinite(c.total)) {
        missing++;
        continue;
      }
      b += c.bad;
      samples += c.total;
    }
    value = reportedRatio(metric, b, samples);
    bad = b;
  } else {
    const obs: LatencyObservation[] = [];
    for (const iv of series.intervals) {
      if (iv.canary) {
        obs.push(iv.canary);
        samples += observationCount(iv.canary);
      } else missing++;
    }
    value = pooledQuantile(obs, series.bounds, metric.quantile ?? 0.95);
  }
  const slo = metric.slo;
  const base = {
    metricId: metric.id,
    title: metric.title,
    test: 'threshold' as const,
    canary: { value, samples, ...(bad === undefined ? {} : { bad }) },
    baseline: { value: null, samples: 0 },
    statistic: { value },
    threshold: { name: 'SLO', op: slo?.op ?? ('<=' as const), value: slo?.value ?? Number.NaN },
    missingIntervals: missing,
  };
  if (!slo) {
    return {
      ...base,
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `${metric.title} declares no SLO, so an absolute threshold cannot judge it.`,
    };
  }
  const shown = `${valueText(metric, value)} over ${num(samples)} canary observations`;
  if (value !== null && !(slo.op === '<=' ? value <= slo.value : value >= slo.value)) {
    return {
      ...base,
      verdict: 'fail',
      reason: `${metric.title} is ${shown}, outside the SLO ${slo.op} ${valueText(metric, slo.value)}.`,
    };
  }
  const latestMissing = canaryLatestMissing(series);
  if (value === null || latestMissing) {
    return {
      ...base,
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `${metric.title} has no canary data in the latest interval (an empty result or NaN), which is never a pass.`,
    };
  }
  if (samples < minSamples) {
    return {
      ...base,
      verdict: 'inconclusive',
      inconclusiveKind: 'not-enough-evidence',
      reason: `${metric.title} is ${shown}; at least ${minSamples} are needed.`,
    };
  }
  return {
    ...base,
    verdict: 'pass',
    reason: `${metric.title} is ${shown}, within the SLO ${slo.op} ${valueText(metric, slo.value)}.`,
  };
}

function canaryLatestMissing(series: MetricSeries): boolean {
  if (series.kind === 'events') {
    const last = series.intervals[series.intervals.length - 1];
    return !last || !validCounts(last.canary);
  }
  const last = series.intervals[series.intervals.length - 1];
  return !last?.canary || !exceedances(last.canary, series.bounds, []);
}
