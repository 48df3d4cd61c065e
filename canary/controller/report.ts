import type {
  BlastRadius,
  CanaryDecision,
  CanaryLayer,
  CanaryStep,
  Check,
  CheckStatus,
  Report,
  MetricSeries as ReportSeries,
} from '../../core/report/model.ts';
import { SCHEMA_VERSION } from '../../core/report/model.ts';
import { histogramQuantile } from '../judges/latency.ts';
import type { JudgeResult, MetricSeries as JudgeSeries, MetricEvidence } from '../judges/types.ts';
import type { RolloutConfig } from './config.ts';
import type { RolloutRun } from './state.ts';

/**
 * The canary section of report.json (core/report/model.ts), from a rollout's state:
 * the steps with their weights and times, each metric's per-interval canary and
 * baseline values, the decision moment and why, one check per judged metric with the
 * judge's evidence, and the blast radius when there is one. Pure: the CLI writes it.
 */
export interface SectionOptions {
  source?: string;
  clock?: 'wall' | 'virtual';
  judgeName?: string;
  blastRadius?: BlastRadius;
  speed?: number;
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

export function metricCheck(e: MetricEvidence, unit: string, alpha?: number): Check {
  const eValue = e.statistic.eValue ?? null;
  return {
    id: `canary/${e.metricId}`,
    layer: 'canary',
    title: e.title,
    status: e.verdict,
    message: e.reason,
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
        statistic: e.statistic,
        missingIntervals: e.missingIntervals,
        ...(e.inconclusiveKind ? { inconclusiveKind: e.inconclusiveKind } : {}),
      },
    },
  };
}

export function canarySection(
  run: RolloutRun,
  config: RolloutConfig,
  options: SectionOptions = {},
): CanaryLayer {
  const last: JudgeResult | undefined = run.points.at(-1)?.result;
  const units = new Map(run.series.map((s) => [s.metric.id, s.metric.unit]));
  const alpha = config.judge.alpha ?? 0.01;
  const checks: Check[] = (last?.metrics ?? []).map((e) =>
    metricCheck(e, units.get(e.metricId) ?? 'ratio', alpha),
  );
  const action = run.decision?.action;
  if (action && (action.type === 'hold' || (action.type === 'rollback' && action.cause !== 'judge-failed'))) {
    checks.push({
      id: 'canary/evidence',
      layer: 'canary',
      title: 'Enough usable metric data',
      status: 'inconclusive',
      message: action.reason,
      evidence: { details: { cause: action.cause, evaluations: run.evaluations.length } },
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

/** A whole report.json for `shipgate canary run|judge`: the canary section and the run's verdict. */
export function canaryReport(
  section: CanaryLayer,
  meta: {
    runId: string;
    command: string;
    toolVersion: string;
    release?: Report['release'];
    exitCode: 0 | 1 | 2 | 3;
  },
): Report {
  const verdict = section.status === 'skipped' ? 'inconclusive' : section.status;
  const decidedBy = section.decision?.triggeredBy ?? section.checks.find((c) => c.status === verdict)?.id;
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: meta.runId,
    command: meta.command,
    tool: { name: 'shipgate', version: meta.toolVersion },
    release: meta.release ?? { name: 'canary', candidateVersion: 'canary', baselineVersion: 'stable' },
    timings: section.timings ?? { startedAt: new Date().toISOString() },
    decision: {
      verdict,
      reason: section.summary || 'No reason recorded.',
      exitCode: meta.exitCode,
      decidedBy: { layer: 'canary', ...(decidedBy ? { checkId: decidedBy } : {}) },
    },
    layers: { canary: section },
  };
}
