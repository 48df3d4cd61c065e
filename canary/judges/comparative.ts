import { mean, quantileSorted } from 'simple-statistics';
import { resolveConfig } from './config.ts';
import { num, validCounts, valueText } from './format.ts';
import { exceedances, histogramQuantile } from './latency.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import type {
  JudgeConfig,
  JudgeInput,
  JudgeResult,
  LatencyObservation,
  MetricEvidence,
  MetricSeries,
} from './types.ts';

/**
 * Comparative fixed-sample judge in the style of Kayenta's default NetflixACAJudge
 * (https://spinnaker.io/docs/guides/user/canary/judge): per metric, the canary's points
 * are compared with the baseline's by a two-sided Mann-Whitney U test (98% confidence by
 * default); a significant difference in the harmful direction whose effect (ratio of
 * means) reaches `allowedChange` classifies the metric High (fail). Metrics without data
 * are NODATA and left out of the score, as Kayenta does. Score = 100 × passing ÷
 * classified; below `marginalScore` fails, at or above `passScore` passes, in between is
 * inconclusive (marginal).
 *
 * Points: an events metric contributes one ratio per interval per version (intervals
 * with no traffic are NaN and removed, Kayenta's default `nanStrategy: remove`); latency
 * contributes raw samples when given, else one quantile per interval from histograms.
 *
 * This is a fixed-sample test: re-running it as data accumulates inflates false alarms.
 * It is kept for comparison and for users who judge once at the end of a step.
 */
export function mannWhitneyJudge(input: JudgeInput): JudgeResult {
  const config = resolveConfig(input.config);
  const metrics = input.series.map((s) => judgeMetric(s, config));
  const classified = metrics.filter((m) => m.inconclusiveKind !== 'missing-data');
  const passing = classified.filter((m) => m.verdict === 'pass').length;
  if (classified.length === 0) {
    return {
      judge: 'mann-whitney',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: 'No metric had enough data on both versions to compare (all NODATA).',
      metrics,
    };
  }
  const score = (100 * passing) / classified.length;
  const combined = { score, passScore: config.passScore, marginalScore: config.marginalScore };
  const high = metrics.filter((m) => m.verdict === 'fail').map((m) => m.title);
  if (score < config.marginalScore) {
    return {
      judge: 'mann-whitney',
      verdict: 'fail',
      reason: `Score ${num(score)} is below the marginal threshold ${config.marginalScore}: the canary is significantly worse on ${high.join(', ')}.`,
      metrics,
      combined,
    };
  }
  if (score < config.passScore) {
    return {
      judge: 'mann-whitney',
      verdict: 'inconclusive',
      inconclusiveKind: 'marginal',
      reason: `Score ${num(score)} is marginal (between ${config.marginalScore} and ${config.passScore}); worse on ${high.join(', ') || 'none'}.`,
      metrics,
      combined,
    };
  }
  const stale = input.series.filter((s) => latestMissing(s)).map((s) => s.metric.title);
  if (stale.length > 0) {
    return {
      judge: 'mann-whitney',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `Score ${num(score)} is not failing, but the latest interval has no data for ${stale.join(', ')}; shipgate never promotes without evidence.`,
      metrics,
      combined,
    };
  }
  const nodata = metrics.length - classified.length;
  if (nodata > 0) {
    return {
      judge: 'mann-whitney',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `Score ${num(score)} passes, but ${nodata} metric(s) had no data; shipgate never promotes without evidence.`,
      metrics,
      combined,
    };
  }
  return {
    judge: 'mann-whitney',
    verdict: 'pass',
    reason: `Score ${num(score)} reaches the pass threshold ${config.passScore}: no metric is significantly worse.`,
    metrics,
    combined,
  };
}

/** True when the newest interval of a series is missing or malformed for either version (or there is none). */
export function latestMissing(series: MetricSeries): boolean {
  if (series.kind === 'events') {
    const last = series.intervals[series.intervals.length - 1];
    return !last || !validCounts(last.canary) || !validCounts(last.baseline);
  }
  const last = series.intervals[series.intervals.length - 1];
  return (
    !last?.canary ||
    !last.baseline ||
    !exceedances(last.canary, series.bounds, []) ||
    !exceedances(last.baseline, series.bounds, [])
  );
}

/** Per-interval points for one version. */
function points(series: MetricSeries, version: 'canary' | 'baseline'): number[] {
  const out: number[] = [];
  if (series.kind === 'events') {
    for (const iv of series.intervals) {
      const c = iv[version];
      if (c && c.total > 0 && c.bad >= 0 && c.bad <= c.total) {
        const r = c.bad / c.total;
        out.push(series.metric.reportAs === 'good-ratio' ? 1 - r : r);
      }
    }
    return out;
  }
  const q = series.metric.quantile ?? 0.95;
  for (const iv of series.intervals) {
    const o: LatencyObservation | null = iv[version];
    if (!o) continue;
    if ('samples' in o) out.push(...o.samples.filter(Number.isFinite));
    else {
      const v = histogramQuantile(series.bounds, o.buckets, o.count, q);
      if (v !== null) out.push(v);
    }
  }
  return out;
}

function judgeMetric(series: MetricSeries, config: JudgeConfig): MetricEvidence {
  const metric = series.metric;
  const c = points(series, 'canary');
  const b = points(series, 'baseline');
  const missing = series.intervals.filter((iv) => !iv.canary || !iv.baseline).length;
  const alpha = 1 - config.confidence;
  const summary = (xs: number[]) => ({
    value: xs.length
      ? quantileSorted(
          xs.slice().sort((x, y) => x - y),
          0.5,
        )
      : null,
    samples: xs.length,
  });
  const base = {
    metricId: metric.id,
    title: metric.title,
    test: 'mann-whitney-u' as const,
    canary: summary(c),
    baseline: summary(b),
    threshold: { name: 'p', op: '<' as const, value: alpha },
    missingIntervals: missing,
  };
  if (c.length < config.minPoints || b.length < config.minPoints) {
    return {
      ...base,
      statistic: { U: null, z: null, p: null, effectSize: null, rankBiserial: null },
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `${metric.title}: NODATA (${c.length} canary and ${b.length} baseline points; ${config.minPoints} each needed).`,
    };
  }
  const t = mannWhitneyU(c, b);
  const mc = mean(c);
  const mb = mean(b);
  const higherWorse = metric.direction === 'higher-is-worse';
  // Effect size as Kayenta reports it: ratio of means, oriented so > 1 means "worse".
  const effectSize = higherWorse
    ? mb === 0
      ? mc > 0
        ? Infinity
        : 1
      : mc / mb
    : mc === 0
      ? mb > 0
        ? Infinity
        : 1
      : mb / mc;
  const worse = higherWorse ? t.rankBiserial > 0 : t.rankBiserial < 0;
  const statistic = { U: t.U, z: t.z, p: t.p, effectSize, rankBiserial: t.rankBiserial };
  const medians = `canary median ${valueText(metric, base.canary.value)} vs baseline ${valueText(metric, base.baseline.value)} (${c.length} vs ${b.length} points)`;
  if (t.p < alpha && worse && effectSize >= config.allowedChange) {
    return {
      ...base,
      statistic,
      verdict: 'fail',
      reason: `${metric.title}: ${medians}; significantly worse (p = ${num(t.p)} < ${num(alpha)}, mean ratio ${num(effectSize)}).`,
    };
  }
  return {
    ...base,
    statistic,
    verdict: 'pass',
    reason: `${metric.title}: ${medians}; not significantly worse (p = ${num(t.p)}, mean ratio ${num(effectSize)}).`,
  };
}
