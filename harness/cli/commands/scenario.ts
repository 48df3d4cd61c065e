import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action, output } from '../run-command.ts';

/**
 * `shipgate scenario list | run | export | import-k6` (issue 5): load and fault
 * scenarios against the embedded sandbox or a platform, their k6 export for load
 * beyond one machine, and a k6 run's summary mapped into shipgate's report.
 *
 * Users' own scenarios come from the config file (`extraScenarios`, issue 8); a user
 * scenario with a built-in's name replaces it.
 */
export interface ScenarioCommandDeps {
  extraScenarios?: Scenario[];
}

const VERSIONS = ['stable', 'canary'] as const;
type Version = (typeof VERSIONS)[number];

export function registerScenario(program: Command, deps: ScenarioCommandDeps = {}): void {
  const scenario = program.command('scenario').description('load and fault scenarios (peak days, outages)');

  scenario
    .command('list')
    .description('the scenario catalogue: load, faults and expectations of each')
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const { allScenarios } = await import('../../../scenarios/run/select.ts');
        const { expectedOrders } = await import('../../../scenarios/load/profile.ts');
        const list = allScenarios(deps.extraScenarios);
        output(options.json, list, () =>
          list
            .map(
              (s) =>
                `${s.name.padEnd(20)} ${String(Math.round(expectedOrders(s.load))).padStart(6)} orders  ${s.description}`,
            )
            .join('\n'),
        );
      }),
    );

  scenario
    .command('run')
    .description('run a scenario; exit 1 when an SLO is missed')
    .argument('<name>', 'scenario name (shipgate scenario list)')
    .option('--target <url>', 'platform base URL (default: the embedded sandbox)')
    .option('--prometheus <url>', 'read the SLO metrics from Prometheus (default: scrape /metrics directly)')
    .option(
      '--scrape <url>',
      'a /metrics endpoint to scrape (repeatable; default TARGET/metrics)',
      collect,
      [],
    )
    .option(
      '--admin <service=url>',
      'admin API of a fault target, e.g. parcelly=http://… (repeatable; token from SHIPGATE_ADMIN_TOKEN)',
      collect,
      [],
    )
    .option('--version <build>', 'build to run against: stable or canary', parseVersion, 'stable')
    .option(
      '--canary-defect <name>',
      'embedded sandbox: the canary build’s defect (shipgate sandbox defects)',
    )
    .option(
      '--compare <a,b>',
      'run on both builds with the same orders and report each SLO’s difference',
      parseCompare,
    )
    .option(
      '--speed <n>',
      'virtual seconds per real second, before --scale (default: the scenario’s)',
      positive('--speed'),
    )
    .option('--scale <f>', 'shrink volume (×f) and real duration (speed ÷ f), 0 < f ≤ 1', parseScale, 1)
    .option('--seed <seed>', 'order generator seed (default: the scenario name)')
    .option('--latency <mode>', 'embedded sandbox: realistic | none', parseLatency, 'realistic')
    .option(
      '--settle-timeout <ms>',
      'real-time bound on tracking deliveries after the load',
      positive('--settle-timeout'),
      60_000,
    )
    .option('--allow-host <host>', 'allow a target host besides loopback (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .addOption(pushgatewayOption())
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (name: string, options: RunFlags) =>
          (await runScenarioCommand(name, options, deps.extraScenarios)).exitCode,
      ),
    );

  scenario
    .command('export')
    .description('write a typed k6 script, its orders and a k6-operator TestRun')
    .argument('<name>', 'scenario name')
    .requiredOption('--k6 <out-dir>', 'directory to write script.ts, orders.json, testrun.yaml')
    .option('--target <url>', 'platform base URL the script sends to', 'http://127.0.0.1:8080')
    .option('--scale <f>', 'orders in the data file: the scenario’s volume × f', parseScale, 1)
    .option('--seed <seed>', 'order generator seed (default: the scenario name)')
    .option('--json', 'print the written paths as JSON')
    .action(
      action(
        async (
          name: string,
          options: { k6: string; target: string; scale: number; seed?: string; json?: boolean },
        ) => {
          const [{ findScenario }, { exportK6 }, { scenarioOrders }] = await Promise.all([
            import('../../../scenarios/run/select.ts'),
            import('../../../scenarios/k6/export.ts'),
            import('../../../scenarios/run/orders.ts'),
          ]);
          const s = findScenario(name, deps.extraScenarios);
          const orders = scenarioOrders({ load: s.load, seed: options.seed ?? s.name, scale: options.scale });
          const files = exportK6(s, orders, options.k6, { target: options.target });
          output(options.json, { scenario: s.name, orders: orders.length, files }, () =>
            [
              `wrote ${files.script}, ${files.orders} (${orders.length} orders), ${files.testRun}`,
              `run: cd ${options.k6} && k6 run script.ts; then: shipgate scenario import-k6 ${options.k6}/summary.json --exit-code $?`,
            ].join('\n'),
          );
        },
      ),
    );

  scenario
    .command('import-k6')
    .description('map a k6 run (summary.json and its exit code; 99 = thresholds failed) into a report')
    .argument('<summary>', 'the summary.json written by the exported script’s handleSummary')
    .requiredOption('--exit-code <n>', 'k6’s exit code', parseExit)
    .option('--scenario <name>', 'the scenario it ran')
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the section as JSON')
    .action(
      action(
        async (
          file: string,
          options: { exitCode: number; scenario?: string; runDir?: string; json?: boolean },
        ) => {
          const [{ k6Section }, { createRunFolder }, { writeReports }, { buildReport }] = await Promise.all([
            import('../../../scenarios/run/k6-import.ts'),
            import('../../../core/run/run-folder.ts'),
            import('../../report/write.ts'),
            import('../../report/build.ts'),
          ]);
          let summary: unknown;
          try {
            summary = JSON.parse(readFileSync(file, 'utf8'));
          } catch (error) {
            throw shipgateError('SG_FILE_UNREADABLE', { file, reason: (error as Error).message }, error);
          }
          if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
            throw shipgateError('SG_INPUT_INVALID', {
              file,
              line: 1,
              field: '(root)',
              problem: 'not a k6 summary object',
            });
          }
          const startedAt = new Date();
          const section = k6Section({
            summary: summary as never,
            exitCode: options.exitCode,
            ...(options.scenario ? { scenario: options.scenario } : {}),
            file,
          });
          const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
          run.journal.append({
            type: 'scenario.k6.imported',
            exitCode: options.exitCode,
            status: section.status,
          });
          const report = buildReport({
            runId: run.id,
            command: 'scenario import-k6',
            release: {
              name: `k6 run${options.scenario ? ` of ${options.scenario}` : ''}`,
              candidateVersion: 'k6',
            },
            startedAt,
            finishedAt: new Date(),
            layers: { scenarios: section },
          });
          writeReports(run, report);
          output(
            options.json,
            { runDir: run.dir, section },
            () => `${section.summary}\nrun folder: ${run.dir}`,
          );
          return report.decision.exitCode as ExitCode;
        },
      ),
    );
}

interface RunFlags {
  target?: string;
  prometheus?: string;
  scrape: string[];
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

export async function runScenarioCommand(
  name: string,
  options: RunFlags,
  extraScenarios?: Scenario[],
): Promise<ScenarioCommandResult> {
  const { pushgatewayTarget, withSelfMetrics } = await import('../../telemetry/self-metrics-run.ts');
  const pushgateway = pushgatewayTarget(options.pushgateway ? { flag: options.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['scenarios'], scenarios: [name] } }, (telemetry) =>
    scenarioCommand(name, options, telemetry, extraScenarios),
  );
}

async function scenarioCommand(
  name: string,
  options: RunFlags,
  telemetry: import('../../telemetry/self-metrics-run.ts').SelfMetricsRun,
  extraScenarios?: Scenario[],
): Promise<ScenarioCommandResult> {
  const { events } = telemetry;
  const [
    { findScenario },
    { runScenario },
    { compareBuilds },
    { scenariosSection },
    { createRunFolder },
    { writeReports },
    { buildReport },
    { isDefectName, DEFECT_NAMES },
    { targetFromFlags },
  ] = await Promise.all([
    import('../../../scenarios/run/select.ts'),
    import('../../../scenarios/run/runner.ts'),
    import('../../../scenarios/run/compare.ts'),
    import('../../../scenarios/run/section.ts'),
    import('../../../core/run/run-folder.ts'),
    import('../../report/write.ts'),
    import('../../report/build.ts'),
    import('../../../sandbox/platform/defects.ts'),
    import('../../../scenarios/run/flags.ts'),
  ]);
  const scenario = findScenario(name, extraScenarios);
  if (options.canaryDefect && !isDefectName(options.canaryDefect)) {
    throw shipgateError('SG_UNKNOWN_DEFECT', { name: options.canaryDefect, known: DEFECT_NAMES.join(', ') });
  }
  if (options.canaryDefect && options.target) {
    throw shipgateError('SG_USAGE', {
      message: '--canary-defect applies to the embedded sandbox only (no --target)',
    });
  }
  if (options.compare && options.target) {
    throw shipgateError('SG_USAGE', {
      message:
        '--compare runs both builds in the embedded sandbox; against a platform, run each build’s URL with --target',
    });
  }
  const target = options.target ? targetFromFlags(options) : undefined;
  const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
  events.expectChecks(
    'scenarios',
    (options.compare ?? [options.version]).flatMap((v) =>
      scenario.expectations.map((e) => `${scenario.name}/${v}/${e.id}`),
    ),
  );
  telemetry.pushAs(run.id);
  const startedAt = new Date();
  run.journal.append({
    type: 'scenario.run.started',
    scenario: scenario.name,
    version: options.version,
    compare: options.compare ?? null,
    scale: options.scale,
    target: options.target ? new URL(options.target).origin : 'embedded sandbox',
  });
  const common = {
    scenario,
    ...(target ? { target } : {}),
    ...(options.canaryDefect ? { canaryDefect: options.canaryDefect } : {}),
    ...(options.speed !== undefined ? { speedOverride: options.speed } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
    scale: options.scale,
    latency: options.latency,
    settleTimeoutMs: options.settleTimeout,
    workDir: run.dir,
    onEvent: (event: { type: string; [key: string]: unknown }) => run.journal.append(event),
    onProgress: events.scenario,
  };
  const section = options.compare
    ? scenariosSection({
        results: [],
        comparison: await compareBuilds({ ...common, versions: options.compare }),
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
  const versions = options.compare ?? [options.version];
  const report = buildReport({
    runId: run.id,
    command: 'scenario run',
    release: {
      name: `scenario ${scenario.name}`,
      candidateVersion: versions[versions.length - 1]!,
      ...(versions.length > 1 ? { baselineVersion: versions[0]! } : {}),
      target: options.target ? new URL(options.target).origin : 'embedded sandbox',
    },
    startedAt,
    finishedAt: new Date(),
    layers: { scenarios: section },
  });
  writeReports(run, report);
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

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
function positive(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };
}
function parseScale(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`--scale must be in (0, 1], got "${value}"`);
  return n;
}
function parseVersion(value: string): Version {
  if (!(VERSIONS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--version must be stable or canary, got "${value}"`);
  return value as Version;
}
function parseCompare(value: string): [Version, Version] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts[0] === parts[1])
    throw new InvalidArgumentError('--compare takes two builds, e.g. stable,canary');
  return [parseVersion(parts[0]!), parseVersion(parts[1]!)];
}
function parseLatency(value: string): 'realistic' | 'none' {
  if (value !== 'realistic' && value !== 'none')
    throw new InvalidArgumentError(`--latency must be realistic or none, got "${value}"`);
  return value;
}
function parseExit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255)
    throw new InvalidArgumentError(`--exit-code must be 0..255, got "${value}"`);
  return n;
}
