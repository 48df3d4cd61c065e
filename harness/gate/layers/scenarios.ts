import type { Check, ScenarioRun, ScenariosLayer } from '../../../core/report/model.ts';
import { layerStatus } from '../../../core/report/verdict.ts';
import { scenarioByName } from '../../../scenarios/catalogue/catalogue.ts';
import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import { assertFaultsApplicable } from '../../../scenarios/run/faults.ts';
import { runScenario } from '../../../scenarios/run/runner.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import { sandboxScenarioTarget } from '../../targets/sandbox-scenario.ts';
import type { GateProgress } from '../progress.ts';

/**
 * The scenarios layer: each configured load-and-fault scenario run against the
 * candidate build (scenarios/run `runScenario`). Against the sandbox, each scenario is
 * handed a world of its own with the same canary defect, so the scenario's faults and
 * clock never disturb the world the other layers use.
 */
const LEADING_FIRST = [
  'processing_p95_seconds',
  'processing_p99_seconds',
  'error_rate',
  'lost_orders',
  'cutoff_missed_rate',
  'shipped_rate',
  'on_time_rate',
];

export async function runScenarios(
  config: ResolvedConfig,
  target: GateTarget,
  progress: GateProgress,
  signal?: AbortSignal,
): Promise<ScenariosLayer> {
  const extra = config.scenarios.extra as unknown as Scenario[];
  const startedAt = new Date();
  const runs: ScenarioRun[] = [];
  const checks: Check[] = [];
  // Faults need the fault admin API, which only the sandbox has: a platform's gate with a
  // fault scenario stops here, before any scenario runs (exit 2), not halfway through.
  if (target.kind !== 'sandbox')
    for (const name of config.scenarios.run) {
      const scenario = scenarioByName(name, extra);
      if (scenario) assertFaultsApplicable(scenario, undefined, target.description);
    }
  for (const name of config.scenarios.run) {
    const found = scenarioByName(name, extra);
    const scenario =
      found && config.scenarios.settleDays !== undefined
        ? { ...found, settleDays: config.scenarios.settleDays }
        : found;
    if (!scenario) {
      checks.push({
        id: `scenarios/${name}`,
        layer: 'scenarios',
        title: `Scenario ${name}`,
        status: 'inconclusive',
        message: `No scenario named "${name}" in the catalogue or the config's scenarios.extra.`,
        evidence: {},
      });
      continue;
    }
    progress(`scenarios: ${name} — ${scenario.description}`);
    progress.expectChecks?.(
      'scenarios',
      scenario.expectations.map((e) => `${name}/${e.id}`),
    );
    const result = await runScenario({
      scenario,
      version: 'canary',
      scale: Math.min(1, config.scenarios.scale),
      settleTimeoutMs: config.scenarios.settleTimeoutMs,
      ...(config.scenarios.speed ? { speedOverride: config.scenarios.speed } : {}),
      target:
        target.kind === 'sandbox'
          ? sandboxScenarioTarget({
              canaryDefect: target.canaryDefect ?? 'none',
              latency: target.sandbox?.latency ?? 'none',
            })
          : {
              url: target.canary,
              description: `${target.platform.name} at ${new URL(target.canary).origin}`,
              platform: target.platform,
              allowHosts: config.replay.allowHosts,
            },
      ...(signal ? { signal } : {}),
      ...(progress.scenario ? { onProgress: progress.scenario } : {}),
    });
    progress.scenarioFinished?.({ scenario: result.scenario, orders: result.orders, slos: result.slos });
    const failed = result.slos.filter((s) => s.status !== 'pass');
    progress(
      `scenarios: ${name} ${result.status.toUpperCase()}${failed.length ? ` — ${failed.map((s) => s.message).join('; ')}` : ''}`,
    );
    runs.push({
      name: result.scenario,
      description: result.description,
      version: result.version,
      status: result.status,
      timings: {
        startedAt: result.timings.startedAt,
        finishedAt: result.timings.finishedAt,
        durationMs: result.timings.durationMs,
        virtual: result.timings.virtual,
      },
      orders: { sent: result.orders.sent, failed: result.orders.failed, lost: result.orders.lost },
      faults: result.faults,
      slos: result.slos.map((s) => ({
        id: s.id,
        title: s.title,
        unit: s.unit,
        target: { op: s.op, value: s.target, description: `SLO: ${s.title}` },
        observed: s.observed,
        status: s.status,
        samples: s.samples,
      })),
      observations: result.observations,
    });
    // Leading indicators first: the report's headline is the first failing check, and
    // "p95 12 s against a 1 s SLO" explains a slow build better than an on-time rate
    // measured on the few deliveries a compressed run sees.
    const slos = [...result.slos].sort((a, b) => LEADING_FIRST.indexOf(a.id) - LEADING_FIRST.indexOf(b.id));
    for (const slo of slos)
      checks.push({
        id: `scenarios/${name}/${slo.id}`,
        layer: 'scenarios',
        title: `${name}: ${slo.title}`,
        status: slo.status,
        message: slo.message,
        evidence: {
          metric: slo.id,
          unit: slo.unit,
          observed: slo.observed,
          test: 'threshold',
          threshold: { op: slo.op, value: slo.target, description: `SLO: ${slo.title}` },
          ...(slo.evidence.bad !== undefined && slo.evidence.total !== undefined
            ? { details: { bad: slo.evidence.bad, total: slo.evidence.total, source: slo.evidence.source } }
            : { details: { source: slo.evidence.source } }),
        },
      });
  }
  const status = layerStatus(checks);
  const finishedAt = new Date();
  const failedRuns = runs.filter((r) => r.status === 'fail').map((r) => r.name);
  return {
    status,
    summary:
      status === 'pass'
        ? `${runs.length} scenario(s) met every SLO (${runs.map((r) => r.name).join(', ')})${skippedNote(checks)}.`
        : status === 'fail'
          ? `Missed SLOs in ${failedRuns.join(', ')}: ${checks.find((c) => c.status === 'fail')?.message ?? ''}`
          : 'Some scenario SLOs could not be measured: no verdict.',
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    },
    checks,
    runs,
  };
}

/** SLOs the target cannot measure are named in a passing summary: skipped is not passed. */
function skippedNote(checks: readonly Check[]): string {
  const skipped = checks.filter((c) => c.status === 'skipped').map((c) => c.title);
  return skipped.length ? ` they could measure; not measurable on this target: ${skipped.join(', ')}` : '';
}
