import type {
  BlastRadius,
  CanaryDecision,
  CanaryLayer,
  CanaryStep,
  Check,
  CheckStatus,
  MetricSeries as ReportSeries,
} from '../../core/report/model.ts';
import { histogramQuantile } from '../judges/latency.ts';
import type { JudgeResult, MetricSeries as JudgeSeries, MetricEvidence } from '../judges/types.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import type { SourceSnapshot } from '../sources/source.ts';
import type { RolloutConfig } from './config.ts';
import type { Versions } from './series.ts';
import type { RolloutRun } from './state.ts';

/**
 * The canary section of report.json (core/report/model.ts), from a rollout's state:
 * the steps with their weights and times, each metric's per-interval canary and
 * baseline values, the decision moment and why, one check per judged metric with the
 * judge's evidence, and the blast radius when there is one. Pure: the harness wraps
 * it in a report (harness/report/build.ts) and writes it.
 */
export interface SectionOptions {
  source?: string;
  clock?: 'wall' | 'virtual';
  judgeName?: string;
  blastRadius?: BlastRadius;
  speed?: number;
  /**
   * Per metric id, what the source read for it (PromQL, or the series a direct scrape
   * selected), so a reviewer can re-run the check's queries against the same source.
   */
  queries?: Readonly<Record<string, readonly string[]>>;
}

const iso = (t: number) => new Date(t).toISOString();

function intervalValue(series: JudgeSeries, i: number, version: 'canary' | 'baseline'): number | null {
  if (series.kind === 'events') {
    const c = series.intervals[i]![version];
    if (!c || c.total === 0) return null;
    const bad = c.bad / c.total;
    return series.metric.reportAs === 'good-ratio' ? 1 - bad : bad;
  }
  const obs = series.intervals[i]![version];
  if (!obs || !('buckets' in obs)) return null;
  return histogramQuantile(series.bounds, obs.buckets, obs.count, series.metric.quantile ?? 0.95);
}

export function reportSeries(series: readonly JudgeSeries[]): ReportSeries[] {
  return series.map((s) => {
    const t = s.intervals.map((iv, i) => iv.end ?? i);
    return {
      metric: s.metric.id,
      title: s.metric.title,
      unit: s.metric.unit,
      direction: s.metric.direction,
      indicator: s.metric.indicator,
      ...(s.metric.slo
        ? { slo: { op: s.metric.slo.op, value: s.metric.slo.value, description: 'SLO' } }
        : {}),
      t,
      canary: s.intervals.map((_, i) => intervalValue(s, i, 'canary')),
      baseline: s.intervals.map((_, i) => intervalValue(s, i, 'baseline')),
    };
  });
}

const int = (n: number) => Math.max(0, Math.round(n));

/** A side (canary or baseline) that had no data in the latest interval, and why. */
export interface NoData {
  side: 'canary' | 'baseline';
  version: string;
  /** The source's reason, naming the query or scrape selector that found nothing. */
  reason: string;
}

const noDataSentence = (gaps: readonly NoData[]) =>
  gaps.map((g) => `No data from the ${g.side} (version "${g.version}"): ${g.reason}.`).join(' ');

export function metricCheck(
  e: MetricEvidence,
  unit: string,
  alpha?: number,
  noData: NoData[] = [],
  queries: readonly string[] = [],
  source?: string,
): Check {
  const eValue = e.statistic.eValue ?? null;
  const named = e.verdict === 'inconclusive' && noData.length > 0;
  return {
    id: `canary/${e.metricId}`,
    layer: 'canary',
    title: e.title,
    status: e.verdict,
    message: named ? `${e.reason} ${noDataSentence(noData)}` : e.reason,
    evidence: {
      metric: e.metricId,
      unit,
      canary: {
        value: e.canary.value,
        samples: int(e.canary.samples),
        ...(e.canary.bad !== undefined ? { bad: int(e.canary.bad) } : {}),
      },
      baseline: {
        value: e.baseline.value,
        samples: int(e.baseline.samples),
        ...(e.baseline.bad !== undefined ? { bad: int(e.baseline.bad) } : {}),
      },
      test: e.test,
      statistic: {
        name: eValue !== null ? 'e-value' : (Object.keys(e.statistic)[0] ?? 'statistic'),
        value: eValue ?? Object.values(e.statistic)[0] ?? null,
      },
      threshold: { op: e.threshold.op, value: e.threshold.value, description: e.threshold.name },
      ...(alpha !== undefined ? { alpha } : {}),
      details: {
        ...(e.hypothesis ? { hypothesis: e.hypothesis } : {}),
        statistic: e.statistic,
        missingIntervals: e.missingIntervals,
        ...(e.inconclusiveKind ? { inconclusiveKind: e.inconclusiveKind } : {}),
        ...(noData.length ? { noData } : {}),
        ...(queries.length ? { queries: [...queries] } : {}),
        ...(source ? { source } : {}),
      },
    },
  };
}

/**
 * Which side had no data in the latest interval of a metric's series, with the source's
 * reason from the latest snapshot (it names the PromQL query or the scrape selector).
 */
export function noDataOf(run: RolloutRun, metricId: string, versions: Versions): NoData[] {
  const series = run.series.find((s) => s.metric.id === metricId);
  const last = series?.intervals.at(-1);
  if (!last) return [];
  return (['canary', 'baseline'] as const).flatMap((side): NoData[] => {
    if (last[side] !== null) return [];
    const version = versions[side];
    return [{ side, version, reason: missingReason(run.lastSnapshot, metricId, version) }];
  });
}

function missingReason(snapshot: SourceSnapshot | undefined, metricId: string, version: string): string {
  const reading = snapshot?.metrics[metricId]?.byVersion[version];
  if (!reading) return `the source returned nothing for version "${version}"`;
  return reading.ok ? 'the reading could not be used' : reading.missing.reason;
}

export function canarySection(
  run: RolloutRun,
  config: RolloutConfig,
  options: SectionOptions = {},
): CanaryLayer {
  const last: JudgeResult | undefined = run.points.at(-1)?.result;
  const units = new Map(run.series.map((s) => [s.metric.id, s.metric.unit]));
  const alpha = config.judge.alpha ?? 0.01;
  const versions = run.started?.versions ?? { canary: 'canary', baseline: 'stable' };
  const checks: Check[] = (last?.metrics ?? []).map((e) =>
    metricCheck(
      e,
      units.get(e.metricId) ?? 'ratio',
      alpha,
      noDataOf(run, e.metricId, versions),
      options.queries?.[e.metricId],
      options.source,
    ),
  );
  const action = run.decision?.action;
  if (action && (action.type === 'hold' || (action.type === 'rollback' && action.cause !== 'judge-failed'))) {
    const gaps = sidesWithoutData(run, versions);
    checks.push({
      id: 'canary/evidence',
      layer: 'canary',
      title: 'Enough usable metric data',
      status: 'inconclusive',
      message: gaps.length ? `${action.reason} ${noDataSentence(gaps)}` : action.reason,
      evidence: {
        details: {
          cause: action.cause,
          evaluations: run.evaluations.length,
          ...(gaps.length ? { noData: gaps } : {}),
        },
      },
    });
  }
  const status: CheckStatus = run.finished
    ? run.finished.outcome === 'promoted'
      ? 'pass'
      : action?.type === 'rollback' && action.cause === 'judge-failed'
        ? 'fail'
        : 'inconclusive'
    : 'inconclusive';
  const steps: CanaryStep[] = run.steps.map((s) => ({
    index: s.index,
    weight: s.weight,
    startedAt: iso(s.startedAt),
    ...(s.endedAt !== undefined ? { endedAt: iso(s.endedAt) } : {}),
    outcome: s.outcome,
    canaryOrders: int(s.canaryOrders),
    baselineOrders: int(s.baselineOrders),
  }));
  const decision: CanaryDecision | undefined =
    run.decision && (action?.type === 'promote' || action?.type === 'rollback' || action?.type === 'hold')
      ? {
          action: action.type,
          at: iso(run.decision.t),
          ...(run.decision.stepIndex >= 0 ? { stepIndex: run.decision.stepIndex } : {}),
          weight: run.decision.weight,
          ...(action.type === 'rollback' && action.triggeredBy?.length
            ? { triggeredBy: `canary/${action.triggeredBy[0]}` }
            : {}),
          reason: action.reason,
        }
      : undefined;
  const started = run.started?.t;
  const finished = run.finished?.t;
  const clock = options.clock ?? 'wall';
  return {
    status,
    summary: run.finished?.reason ?? last?.reason ?? 'The rollout has not finished.',
    ...(started !== undefined
      ? {
          timings: {
            startedAt: iso(started),
            ...(finished !== undefined
              ? { finishedAt: iso(finished), durationMs: Math.max(0, finished - started) }
              : {}),
          },
        }
      : {}),
    checks,
    ...(options.source ? { source: options.source } : {}),
    judge: { name: options.judgeName ?? run.started?.judge ?? 'sequential', alpha },
    clock,
    steps,
    series: reportSeries(run.series),
    ...(decision ? { decision } : {}),
    ...(options.blastRadius ? { blastRadius: options.blastRadius } : {}),
  };
}

/** Per side without data in the latest interval, the first metric's reason (one line per side, not per metric). */
function sidesWithoutData(run: RolloutRun, versions: Versions): NoData[] {
  const all = run.series.flatMap((s) => noDataOf(run, s.metric.id, versions));
  return (['canary', 'baseline'] as const).flatMap((side) => {
    const gaps = all.filter((g) => g.side === side);
    if (gaps.length === 0) return [];
    const more = gaps.length > 1 ? ` (and ${gaps.length - 1} more metric(s))` : '';
    return [{ ...gaps[0]!, reason: `${gaps[0]!.reason}${more}` }];
  });
}

/** `shipgate canary judge`: one judgement between two snapshots, as a canary section without steps. */
export function judgementSection(
  result: JudgeResult,
  options: {
    metrics: readonly MetricDecl[];
    alpha: number;
    source: string;
    startedAt: number;
    finishedAt: number;
    /** Per metric id, the queries (or scrape selectors) the source ran for it. */
    queries?: Readonly<Record<string, readonly string[]>>;
  },
): CanaryLayer {
  const units = new Map<string, string>(options.metrics.map((m) => [m.id, m.unit]));
  return {
    status: result.verdict,
    summary: result.reason,
    timings: {
      startedAt: iso(options.startedAt),
      finishedAt: iso(options.finishedAt),
      durationMs: Math.max(0, options.finishedAt - options.startedAt),
    },
    checks: result.metrics.map((e) =>
      metricCheck(
        e,
        units.get(e.metricId) ?? 'ratio',
        options.alpha,
        [],
        options.queries?.[e.metricId],
        options.source,
      ),
    ),
    source: options.source,
    judge: { name: 'sequential', alpha: options.alpha },
    clock: 'wall',
    steps: [],
    series: [],
  };
}
