import type { Check, ScenarioRun, ScenariosLayer, SloResult } from '../../core/report/model.ts';
import { K6_THRESHOLDS_FAILED_EXIT } from '../k6/export.ts';

/**
 * A k6 run's summary (handleSummary's summary.json) and exit code as a scenarios
 * section: each threshold becomes an SLO with its observed value; exit code 99 (k6's
 * "thresholds failed") is a fail, 0 a pass, anything else (script error, abort by
 * signal) inconclusive — k6 did not finish, so there is no evidence. Pure.
 */
interface K6Metric {
  type?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Summary {
  metrics?: Record<string, K6Metric>;
}

const THRESHOLD =
  /^\s*(p\(\d+(?:\.\d+)?\)|rate|avg|min|max|med|count|value)\s*(<=|>=|<|>|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseThreshold(
  expression: string,
): { stat: string; op: SloResult['target']['op']; value: number } | undefined {
  const m = THRESHOLD.exec(expression);
  return m ? { stat: m[1]!, op: m[2] as SloResult['target']['op'], value: Number(m[3]) } : undefined;
}

export function k6Section(input: {
  summary: K6Summary;
  exitCode: number;
  scenario?: string;
  file?: string;
}): ScenariosLayer {
  const slos: SloResult[] = [];
  const checks: Check[] = [];
  for (const [metric, data] of Object.entries(input.summary.metrics ?? {})) {
    for (const [expression, result] of Object.entries(data.thresholds ?? {})) {
      const parsed = parseThreshold(expression);
      const observed = parsed ? (data.values?.[parsed.stat] ?? null) : null;
      const status = result.ok ? 'pass' : 'fail';
      const id = `${metric} ${expression}`;
      const unit = data.type === 'trend' ? 'ms' : data.type === 'rate' ? 'ratio' : 'count';
      slos.push({
        id,
        title: `k6 threshold ${metric}: ${expression}`,
        unit,
        target: { op: parsed?.op ?? '<=', value: parsed?.value ?? 0, description: expression },
        observed: observed === null || !Number.isFinite(observed) ? null : observed,
        status,
      });
      checks.push({
        id: `scenarios/k6/${id}`,
        layer: 'scenarios',
        title: `k6: ${metric} ${expression}`,
        status,
        message: `k6 threshold ${expression} on ${metric} ${result.ok ? 'held' : 'was crossed'}${observed !== null ? ` (observed ${round(observed)}${unit === 'ms' ? ' ms' : ''})` : ''}.`,
        evidence: {
          metric,
          unit,
          observed: observed === null || !Number.isFinite(observed) ? null : observed,
          test: 'k6-threshold',
          ...(parsed ? { threshold: { op: parsed.op, value: parsed.value, description: expression } } : {}),
        },
      });
    }
  }
  const crossed = checks.filter((c) => c.status === 'fail');
  let status: ScenariosLayer['status'];
  let summary: string;
  if (input.exitCode === K6_THRESHOLDS_FAILED_EXIT) {
    status = 'fail';
    summary = `k6 exited ${input.exitCode} (thresholds failed)${crossed.length ? `: ${crossed.map((c) => c.title.replace(/^k6: /, '')).join('; ')}` : ''}.`;
  } else if (input.exitCode === 0) {
    status = crossed.length ? 'fail' : checks.length ? 'pass' : 'inconclusive';
    summary = crossed.length
      ? `k6 exited 0 but its summary shows crossed thresholds: ${crossed.map((c) => c.title).join('; ')}.`
      : checks.length
        ? `k6 finished and all ${checks.length} thresholds held.`
        : 'k6 finished, but its summary has no thresholds: no evidence either way.';
  } else {
    status = 'inconclusive';
    summary = `k6 exited ${input.exitCode} (not a threshold failure: the run did not complete), so there is no verdict.`;
  }
  const run: ScenarioRun = {
    name: input.scenario ?? 'k6',
    version: 'k6',
    status,
    slos,
    observations: [summary, ...(input.file ? [`From ${input.file}.`] : [])],
  };
  return { status, summary, checks, runs: [run] };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
