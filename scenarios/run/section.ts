import type { Check, CheckStatus, ScenarioRun, ScenariosLayer } from '../../core/report/model.ts';
import type { Comparison } from './compare.ts';
import { formatValue, type SloVerdict } from './judge.ts';
import type { ScenarioResult } from './runner.ts';

/**
 * The scenarios section of report.json, pure. One check per SLO per run, each naming
 * the SLO, the observed value and the target in its message. (Type-only import of the
 * report model: nothing at runtime depends on harness/.)
 */
export function scenarioRun(result: ScenarioResult, baseline?: ScenarioResult): ScenarioRun {
  return {
    name: result.scenario,
    description: result.description,
    version: result.version,
    ...(baseline ? { comparedWith: baseline.version } : {}),
    status: result.status,
    timings: {
      startedAt: result.timings.startedAt,
      finishedAt: result.timings.finishedAt,
      durationMs: result.timings.durationMs,
      virtual: {
        startedAt: result.timings.virtual.startedAt,
        finishedAt: result.timings.virtual.finishedAt,
        speed: result.timings.virtual.speed,
      },
    },
    orders: { sent: result.orders.sent, failed: result.orders.failed, lost: result.orders.lost },
    faults: result.faults,
    slos: result.slos.map((s) => {
      const b = baseline?.slos.find((x) => x.id === s.id);
      return {
        id: s.id,
        title: s.title,
        unit: s.unit,
        target: { op: s.op, value: s.target, description: `SLO ${s.title}` },
        observed: s.observed,
        ...(b ? { baselineObserved: b.observed } : {}),
        status: s.status,
        samples: s.samples,
      };
    }),
    observations: [...result.observations, ...(baseline ? differenceLines(result, baseline) : [])],
  };
}

export function sloCheck(result: ScenarioResult, slo: SloVerdict): Check {
  return {
    id: `scenarios/${result.scenario}/${result.version}/${slo.id}`,
    layer: 'scenarios',
    title: `${result.scenario} on ${result.version}: ${slo.title}`,
    status: slo.status,
    message: `${result.scenario} on ${result.version}: ${slo.message}`,
    evidence: {
      metric: slo.id,
      unit: slo.unit,
      observed: slo.observed,
      test: 'threshold',
      threshold: { op: slo.op, value: slo.target, description: `SLO ${slo.title}` },
      details: {
        source: slo.evidence.source,
        samples: slo.samples,
        ...(slo.evidence.bad !== undefined ? { bad: slo.evidence.bad, total: slo.evidence.total } : {}),
        ...(slo.evidence.missing ? { missing: slo.evidence.missing } : {}),
        ...(slo.evidence.notMeasurable ? { notMeasurable: slo.evidence.notMeasurable } : {}),
        ...(result.scale < 1 ? { scale: result.scale } : {}),
      },
    },
  };
}

export function scenariosSection(input: {
  results: ScenarioResult[];
  comparison?: Comparison;
}): ScenariosLayer {
  const runs = input.comparison
    ? [
        scenarioRun(input.comparison.baseline),
        scenarioRun(input.comparison.candidate, input.comparison.baseline),
      ]
    : input.results.map((r) => scenarioRun(r));
  const results = input.comparison ? [input.comparison.baseline, input.comparison.candidate] : input.results;
  const checks = results.flatMap((r) => r.slos.map((s) => sloCheck(r, s)));
  const status = worst(results.map((r) => r.status));
  const starts = results.map((r) => r.timings.startedAt).sort();
  const ends = results.map((r) => r.timings.finishedAt).sort();
  return {
    status,
    summary: summary(results, input.comparison),
    ...(starts.length
      ? {
          timings: {
            startedAt: starts[0]!,
            finishedAt: ends[ends.length - 1]!,
            durationMs: Date.parse(ends[ends.length - 1]!) - Date.parse(starts[0]!),
          },
        }
      : {}),
    checks,
    runs,
  };
}

function summary(results: ScenarioResult[], comparison?: Comparison): string {
  const parts = results.map((r) => {
    const missed = r.slos.filter((s) => s.status === 'fail');
    const unknown = r.slos.filter((s) => s.status === 'inconclusive');
    const scaled = r.scale < 1 ? ` (scaled to ${r.scale})` : '';
    if (missed.length)
      return `${r.scenario} on ${r.version}${scaled} missed ${missed.length} SLO${missed.length > 1 ? 's' : ''}: ${missed
        .map(
          (s) =>
            `${s.title} ${formatValue(s.observed, s.unit)} (SLO ${s.op} ${formatValue(s.target, s.unit)})`,
        )
        .join('; ')}`;
    if (unknown.length)
      return `${r.scenario} on ${r.version}${scaled} could not judge ${unknown.map((s) => s.title).join(', ')} (no data)`;
    const skipped = r.slos.filter((s) => s.status === 'skipped');
    if (skipped.length)
      return `${r.scenario} on ${r.version}${scaled} met the ${r.slos.length - skipped.length} SLOs it could measure; not measurable on this target: ${skipped.map((s) => s.title).join(', ')}`;
    return `${r.scenario} on ${r.version}${scaled} met all ${r.slos.length} SLOs`;
  });
  const text = `${parts.join('. ')}.`;
  return comparison
    ? `Compared ${comparison.baseline.version} with ${comparison.candidate.version}: ${text}`
    : text;
}

function differenceLines(candidate: ScenarioResult, baseline: ScenarioResult): string[] {
  return candidate.slos.map((c) => {
    const b = baseline.slos.find((x) => x.id === c.id);
    const bv = b?.observed ?? null;
    const delta =
      bv === null || c.observed === null
        ? 'no difference computable'
        : `${c.observed - bv >= 0 ? '+' : '−'}${formatValue(Math.abs(c.observed - bv), c.unit)}`;
    return `${c.title}: ${baseline.version} ${formatValue(bv, c.unit)}, ${candidate.version} ${formatValue(c.observed, c.unit)} (${delta}).`;
  });
}

function worst(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.length === 0 || statuses.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}
