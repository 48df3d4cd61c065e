import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { createRunFolder } from '../../../core/run/run-folder.ts';
import { DEFECT_NAMES, isDefectName } from '../../../sandbox/platform/defects.ts';
import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import type { PlatformAdapter } from '../../../scenarios/platform/types.ts';
import { compareBuilds } from '../../../scenarios/run/compare.ts';
import { targetFromFlags } from '../../../scenarios/run/flags.ts';
import { runScenario } from '../../../scenarios/run/runner.ts';
import { scenariosSection } from '../../../scenarios/run/section.ts';
import { findScenario } from '../../../scenarios/run/select.ts';
import { type LoadedConfig, loadConfig } from '../../config/load.ts';
import { writeRunReport } from '../../report/run-report.ts';
import { configuredPlatform } from '../../targets/platform.ts';
import { sandboxScenarioTarget } from '../../targets/sandbox-scenario.ts';
import { pushgatewayTarget, type SelfMetricsRun, withSelfMetrics } from '../../telemetry/self-metrics-run.ts';
import { output } from '../run-command.ts';

export type Version = 'stable' | 'canary';

export interface RunFlags {
  config?: string;
  target?: string;
  admin: string[];
  version: Version;
  canaryDefect?: string;
  compare?: [Version, Version];
  speed?: number;
  scale: number;
  seed?: string;
  latency: 'realistic' | 'none';
  settleTimeout: number;
  allowHost: string[];
  runDir?: string;
  pushgateway?: string;
  json?: boolean;
}

export interface ScenarioCommandResult {
  exitCode: ExitCode;
  runDir: string;
  summary: string;
}

/** `shipgate scenario run`: the scenarios layer's runner against the sandbox or a platform, with shipgate's own metrics. */
export async function runScenarioCommand(
  name: string,
  options: RunFlags,
  extraScenarios?: Scenario[],
): Promise<ScenarioCommandResult> {
  const pushgateway = pushgatewayTarget(options.pushgateway ? { flag: options.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['scenarios'], scenarios: [name] } }, (telemetry) =>
    scenarioCommand(name, options, telemetry, extraScenarios),
  );
}

async function scenarioCommand(
  name: string,
  options: RunFlags,
  telemetry: SelfMetricsRun,
  extraScenarios?: Scenario[],
): Promise<ScenarioCommandResult> {
  const { events } = telemetry;
  const { loaded, platform, urls } = await platformTarget(options.config);
  const scenario = findScenario(name, [...(extraScenarios ?? []), ...configScenarios(loaded)]);
  if (options.canaryDefect && !isDefectName(options.canaryDefect))
    throw shipgateError('SG_UNKNOWN_DEFECT', { name: options.canaryDefect, known: DEFECT_NAMES.join(', ') });
  const onPlatform = options.target !== undefined || urls !== undefined;
  if (options.canaryDefect && onPlatform)
    throw shipgateError('SG_USAGE', {
      message: '--canary-defect applies to the embedded sandbox only (no --target, no config target URLs)',
    });
  if (options.compare && options.target)
    throw shipgateError('SG_USAGE', {
      message:
        '--compare runs both builds of the embedded sandbox, or the config’s target.stable and target.canary; with --target, run each build’s URL on its own',
    });
  // A platform's build: --target, else the config's URL of the build asked for.
  const platformTargetOf = (version: Version) =>
    targetFromFlags({
      ...options,
      target: options.target ?? (version === 'canary' ? urls!.canary : urls!.stable),
      allowHost: [...options.allowHost, ...(loaded?.resolved.replay.allowHosts ?? [])],
      ...(platform ? { platform } : {}),
    });
  const target = onPlatform
    ? platformTargetOf(options.version)
    : sandboxScenarioTarget({
        latency: options.latency,
        ...(options.canaryDefect ? { canaryDefect: options.canaryDefect } : {}),
      });
  const targetName = onPlatform ? (target as { description: string }).description : 'embedded sandbox';
  const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
  const versions = options.compare ?? [options.version];
  events.expectChecks(
    'scenarios',
    versions.flatMap((v) => scenario.expectations.map((e) => `${scenario.name}/${v}/${e.id}`)),
  );
  telemetry.pushAs(run.id);
  const startedAt = new Date();
  run.journal.append({
    type: 'scenario.run.started',
    scenario: scenario.name,
    version: options.version,
    compare: options.compare ?? null,
    scale: options.scale,
    target: targetName,
  });
  const common = {
    scenario,
    target,
    ...(options.speed !== undefined ? { speedOverride: options.speed } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
    scale: options.scale,
    settleTimeoutMs: options.settleTimeout,
    workDir: run.dir,
    onEvent: (event: { type: string; [key: string]: unknown }) => run.journal.append(event),
    onProgress: events.scenario,
  };
  const section = options.compare
    ? scenariosSection({
        results: [],
        comparison: await compareBuilds({
          ...common,
          versions: options.compare,
          ...(onPlatform
            ? { targets: { stable: platformTargetOf('stable'), canary: platformTargetOf('canary') } }
            : {}),
        }),
      })
    : scenariosSection({ results: [await runScenario({ ...common, version: options.version })] });
  for (const r of section.runs)
    events.scenarioFinished({
      scenario: r.name,
      orders: r.orders,
      slos: r.slos.map((slo) => ({ id: slo.id, target: slo.target.value, observed: slo.observed })),
    });
  events.layerFinished('scenarios', section);
  run.writeJson('scenario.json', section.runs);
  const { report } = writeRunReport(run, {
    command: 'scenario run',
    release: {
      name: `scenario ${scenario.name}`,
      candidateVersion: versions[versions.length - 1]!,
      ...(versions.length > 1 ? { baselineVersion: versions[0]! } : {}),
      target: targetName,
    },
    startedAt,
    layers: { scenarios: section },
  });
  run.journal.append({ type: 'scenario.run.finished', verdict: report.decision.verdict });
  output(options.json, { runDir: run.dir, verdict: report.decision.verdict, section }, () =>
    [
      section.summary,
      ...section.runs.flatMap((r) => r.observations ?? []),
      `verdict: ${report.decision.verdict}; run folder: ${run.dir}`,
    ].join('\n'),
  );
  return { exitCode: report.decision.exitCode as ExitCode, runDir: run.dir, summary: section.summary };
}

/** The config's platform (adapter and build URLs), when `--config` names one. */
async function platformTarget(file: string | undefined): Promise<{
  loaded?: LoadedConfig;
  platform?: PlatformAdapter;
  urls?: { stable: string; canary: string };
}> {
  if (!file) return {};
  const loaded = await loadConfig({ file });
  const target = loaded.resolved.target;
  return {
    loaded,
    ...(target.kind === 'urls' ? { platform: await configuredPlatform(loaded.resolved) } : {}),
    ...(target.kind === 'urls' ? { urls: { stable: target.stable, canary: target.canary } } : {}),
  };
}

function configScenarios(loaded: LoadedConfig | undefined): Scenario[] {
  return (loaded?.resolved.scenarios.extra ?? []) as unknown as Scenario[];
}
