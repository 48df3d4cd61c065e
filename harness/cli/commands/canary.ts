import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Actuator, withRetries } from '../../../canary/actuators/actuator.ts';
import { argoActuator } from '../../../canary/actuators/argo.ts';
import { routerActuator } from '../../../canary/actuators/router.ts';
import { webhookActuator } from '../../../canary/actuators/webhook.ts';
import { exportBlastRadius } from '../../../canary/blast-radius/export.ts';
import { parseDuration, parseSteps } from '../../../canary/controller/config.ts';
import { canaryReport, canarySection } from '../../../canary/controller/report.ts';
import { DEFAULT_VERSIONS, type RolloutOutcome, runRollout } from '../../../canary/controller/rollout.ts';
import { openCanaryJournal } from '../../../canary/journal/journal.ts';
import { sequentialJudge } from '../../../canary/judges/index.ts';
import type { JudgeResult } from '../../../canary/judges/types.ts';
import { CATALOGUE } from '../../../canary/metrics/catalogue.ts';
import { startGateServer } from '../../../canary/server/app.ts';
import { createGateSession } from '../../../canary/server/session.ts';
import { createSource } from '../../../canary/sources/create.ts';
import { PrometheusSource } from '../../../canary/sources/prometheus-source.ts';
import type { MetricSource } from '../../../canary/sources/source.ts';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import type { Report } from '../../../core/report/model.ts';
import { createRunFolder, openRunFolder, type RunFolder } from '../../../core/run/run-folder.ts';
import { pushgatewayTarget, type SelfMetricsRun, withSelfMetrics } from '../../telemetry/self-metrics-run.ts';
import { version } from '../../version.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action, output } from '../run-command.ts';

/**
 * `shipgate canary run | judge | serve` (issue 6): the rollout itself, one judgement
 * for CI and Argo job providers, and the gate server Flagger and Argo call.
 */

interface SourceFlags {
  prometheus?: string;
  scrape?: string[];
}

const duration = (flag: string) => (value: string) => {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: ${(error as Error).message}`);
  }
};
const number = (flag: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${flag} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

function sourceFrom(flags: SourceFlags): MetricSource {
  if (flags.prometheus && flags.scrape?.length) {
    throw shipgateError('SG_USAGE', { message: 'give either --prometheus or --scrape, not both' });
  }
  if (flags.prometheus) {
    return createSource({
      kind: 'prometheus',
      url: flags.prometheus,
      bearerToken: process.env.SHIPGATE_PROMETHEUS_TOKEN || undefined,
    });
  }
  if (flags.scrape?.length) return createSource({ kind: 'direct-scrape', endpoints: flags.scrape });
  throw shipgateError('SG_USAGE', {
    message: 'a metric source is needed: --prometheus URL or --scrape URL (repeatable)',
  });
}

function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--prometheus <url>',
      'Prometheus (or Thanos, Mimir) base URL; token from SHIPGATE_PROMETHEUS_TOKEN',
    )
    .option(
      '--scrape <url>',
      'scrape this /metrics endpoint directly (repeatable); the default without Prometheus',
      collect,
    );
}

function token(variable: string, what: string): string {
  const value = process.env[variable];
  if (!value) throw shipgateError('SG_CANARY_TOKEN_MISSING', { variable, what });
  return value;
}

interface RunFlags extends SourceFlags {
  actuator: 'router' | 'webhook' | 'argo';
  router?: string;
  webhook?: string;
  rollout?: string;
  namespace?: string;
  canaryUrl?: string;
  steps?: number[];
  interval?: number;
  minStep?: number;
  minSamples?: number;
  maxDuration?: number;
  alpha?: number;
  runDir?: string;
  resume?: string;
  pushgateway?: string;
  json?: boolean;
}

function actuatorFrom(flags: RunFlags, runId: string): Actuator {
  switch (flags.actuator) {
    case 'router':
      if (!flags.router)
        throw shipgateError('SG_USAGE', { message: '--router URL is needed with --actuator router' });
      return withRetries(
        routerActuator({ url: flags.router, token: token('SHIPGATE_ADMIN_TOKEN', 'the router actuator') }),
      );
    case 'webhook':
      if (!flags.webhook)
        throw shipgateError('SG_USAGE', { message: '--webhook URL is needed with --actuator webhook' });
      return withRetries(
        webhookActuator({
          url: flags.webhook,
          token: token('SHIPGATE_WEBHOOK_TOKEN', 'the webhook actuator'),
          rolloutId: runId,
        }),
      );
    case 'argo':
      if (!flags.rollout)
        throw shipgateError('SG_USAGE', { message: '--rollout NAME is needed with --actuator argo' });
      return withRetries(argoActuator({ rollout: flags.rollout, namespace: flags.namespace }));
  }
}

/** Writes report.json, .md, .html and junit.xml through the report writer (falls back to report.json alone). */
async function writeReport(folder: RunFolder, report: Report): Promise<void> {
  const writer = await import('../../report/write.ts').catch(() => undefined);
  if (writer?.writeReports) writer.writeReports(folder, report);
  else folder.writeJson('report.json', report);
}

function progressLine(text: string, json: boolean | undefined): void {
  if (!json) process.stderr.write(`${text}\n`);
}

async function canaryRun(flags: RunFlags): Promise<ExitCode> {
  const pushgateway = pushgatewayTarget(flags.pushgateway ? { flag: flags.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['canary'] } }, (telemetry) =>
    rollout(flags, telemetry),
  );
}

async function rollout(flags: RunFlags, telemetry: SelfMetricsRun): Promise<ExitCode> {
  const { events } = telemetry;
  if (flags.resume && flags.runDir)
    throw shipgateError('SG_USAGE', { message: 'give --resume DIR or --run-dir DIR, not both' });
  if (flags.resume && !existsSync(join(flags.resume, 'journal.jsonl'))) {
    throw shipgateError('SG_USAGE', {
      message: `--resume ${flags.resume}: no journal.jsonl there to resume from`,
    });
  }
  const folder = flags.resume
    ? openRunFolder(flags.resume)
    : flags.runDir
      ? openRunFolder(flags.runDir)
      : createRunFolder();
  telemetry.pushAs(folder.id);
  const source = sourceFrom(flags);
  if (source instanceof PrometheusSource)
    await source.preflight(CATALOGUE, [DEFAULT_VERSIONS.canary, DEFAULT_VERSIONS.baseline]);
  const actuator = actuatorFrom(flags, folder.id);
  const journal = openCanaryJournal(folder.journal);
  if (flags.resume && !journal.existing.some((e) => e.type === 'canary.started')) {
    throw shipgateError('SG_USAGE', {
      message: `--resume ${flags.resume}: the journal holds no canary rollout`,
    });
  }
  // Ctrl-C / SIGTERM stop the loop between journal events; the journal keeps the rollout
  // resumable (`--resume DIR`), and nothing is reported as decided that was not.
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let outcome: RolloutOutcome;
  try {
    outcome = await runRollout({
      signal: stop.signal,
      source,
      actuator,
      journal,
      config: {
        ...(flags.steps ? { steps: flags.steps } : {}),
        ...(flags.interval ? { intervalMs: flags.interval } : {}),
        ...(flags.minStep !== undefined ? { minStepMs: flags.minStep } : {}),
        ...(flags.minSamples !== undefined ? { minStepSamples: flags.minSamples } : {}),
        ...(flags.maxDuration ? { maxTotalMs: flags.maxDuration } : {}),
        judge: flags.alpha ? { alpha: flags.alpha } : {},
      },
      onEvent: (event) => {
        events.canary(event);
        if (event.type === 'canary.actuated' && event.op === 'set-weight')
          progressLine(`canary weight ${event.weight}%`, flags.json);
        if (event.type === 'canary.evaluation')
          progressLine(`${event.result.verdict}: ${event.action.type} — ${event.action.reason}`, flags.json);
        if (event.type === 'canary.decision' && event.action.type !== 'advance')
          progressLine(`decision: ${event.action.type}`, flags.json);
      },
    });
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    process.stderr.write(
      `shipgate: interrupted; the rollout is journaled in ${folder.dir}; resume with --resume ${folder.dir}\n`,
    );
    return ExitCode.Inconclusive;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  let blastRadius: Awaited<ReturnType<typeof exportBlastRadius>> | undefined;
  if (outcome.outcome === 'rolled_back' && flags.canaryUrl) {
    blastRadius = await exportBlastRadius({ canaryUrl: flags.canaryUrl, sink: folder });
    journal.append({
      type: 'canary.blast-radius',
      t: Date.now(),
      served: blastRadius.assessment.served,
      affected: blastRadius.assessment.rows.length,
      csvFile: 'blast-radius.csv',
    });
  }
  const section = canarySection(outcome.run, outcome.config, {
    source: flags.prometheus ? `prometheus ${flags.prometheus}` : 'direct-scrape',
    clock: 'wall',
    ...(blastRadius ? { blastRadius: blastRadius.section } : {}),
  });
  events.layerFinished('canary', section);
  await writeReport(
    folder,
    canaryReport(section, {
      runId: folder.id,
      command: 'canary run',
      toolVersion: version(),
      exitCode: outcome.exitCode,
    }),
  );
  output(
    flags.json,
    {
      runDir: folder.dir,
      outcome: outcome.outcome,
      reason: outcome.reason,
      exitCode: outcome.exitCode,
      resumed: outcome.resumed,
      steps: section.steps,
      decision: section.decision ?? null,
      blastRadius: blastRadius
        ? {
            served: blastRadius.assessment.served,
            affected: blastRadius.assessment.rows.length,
            compensationTotal: blastRadius.assessment.compensationTotal,
            groups: blastRadius.assessment.groups.filter((g) => g.affected > 0),
            csv: blastRadius.file,
          }
        : null,
    },
    () =>
      [
        `${outcome.outcome === 'promoted' ? 'PROMOTED' : outcome.outcome === 'rolled_back' ? 'ROLLED BACK' : 'HELD'}: ${outcome.reason}`,
        blastRadius
          ? [
              `blast radius: ${blastRadius.assessment.rows.length} of ${blastRadius.assessment.served} canary orders late or predicted late → ${blastRadius.file}`,
              ...blastRadius.assessment.groups
                .filter((g) => g.affected > 0)
                .slice(0, 10)
                .map(
                  (g) =>
                    `  ${g.region}/${g.carrier}: ${g.affected} of ${g.served} late, up to ${g.maxDelayHours} h, compensation ${g.compensationTotal} ${blastRadius!.assessment.policy.currency}`,
                ),
            ].join('\n')
          : '',
        `run folder: ${folder.dir}`,
      ]
        .filter(Boolean)
        .join('\n'),
  );
  return outcome.exitCode;
}

interface JudgeFlags extends SourceFlags {
  window: number;
  alpha?: number;
  runDir?: string;
  json?: boolean;
}

/** Two snapshots `--window` apart, judged once: exit 0 pass, 1 fail, 3 inconclusive. */
async function canaryJudge(flags: JudgeFlags): Promise<ExitCode> {
  const source = sourceFrom(flags);
  if (source instanceof PrometheusSource)
    await source.preflight(CATALOGUE, [DEFAULT_VERSIONS.canary, DEFAULT_VERSIONS.baseline]);
  const session = createGateSession({ source, judgeConfig: flags.alpha ? { alpha: flags.alpha } : {} });
  const startedAt = new Date();
  await session.evaluate();
  await new Promise((r) => setTimeout(r, flags.window));
  const result: JudgeResult = await session.evaluate();
  const exitCode =
    result.verdict === 'pass'
      ? ExitCode.Pass
      : result.verdict === 'fail'
        ? ExitCode.GateFailed
        : ExitCode.Inconclusive;
  const folder = flags.runDir ? openRunFolder(flags.runDir) : createRunFolder();
  const { metricCheck } = await import('../../../canary/controller/report.ts');
  const units = new Map<string, string>(CATALOGUE.map((m) => [m.id, m.unit]));
  const report = canaryReport(
    {
      status: result.verdict,
      summary: result.reason,
      timings: {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
      },
      checks: result.metrics.map((e) =>
        metricCheck(e, units.get(e.metricId) ?? 'ratio', flags.alpha ?? 0.01),
      ),
      source: flags.prometheus ? `prometheus ${flags.prometheus}` : 'direct-scrape',
      judge: { name: 'sequential', alpha: flags.alpha ?? 0.01 },
      clock: 'wall',
      steps: [],
      series: [],
    },
    { runId: folder.id, command: 'canary judge', toolVersion: version(), exitCode },
  );
  await writeReport(folder, report);
  output(
    flags.json,
    { verdict: result.verdict, reason: result.reason, exitCode, runDir: folder.dir, metrics: result.metrics },
    () => `${result.verdict.toUpperCase()}: ${result.reason}\nrun folder: ${folder.dir}`,
  );
  return exitCode;
}

interface ServeFlags extends SourceFlags {
  port: number;
  host: string;
  alpha?: number;
}

async function canaryServe(flags: ServeFlags): Promise<ExitCode> {
  const gateToken = token('SHIPGATE_GATE_TOKEN', 'shipgate canary serve');
  const source = sourceFrom(flags);
  const server = await startGateServer({
    token: gateToken,
    host: flags.host,
    port: flags.port,
    sessionFor: () =>
      createGateSession({
        source,
        judge: sequentialJudge,
        judgeConfig: flags.alpha ? { alpha: flags.alpha } : {},
      }),
  });
  process.stderr.write(`shipgate gate server listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return ExitCode.Pass;
}

export function registerCanary(program: Command): void {
  const canary = program
    .command('canary')
    .description('canary gate: roll out step by step, judge canary vs baseline, roll back automatically');

  addSourceOptions(
    canary
      .command('run')
      .description(
        'run (or resume) a canary rollout: step weights, analysis each interval, promote or roll back',
      )
      .addOption(
        new Option('--actuator <kind>', 'what moves traffic')
          .choices(['router', 'webhook', 'argo'])
          .default('router'),
      )
      .option('--router <url>', 'the sandbox traffic router (admin token from SHIPGATE_ADMIN_TOKEN)')
      .option('--webhook <url>', 'generic webhook actuator URL (token from SHIPGATE_WEBHOOK_TOKEN)')
      .option('--rollout <name>', 'Argo Rollouts rollout name (--actuator argo)')
      .option('--namespace <ns>', 'Kubernetes namespace (--actuator argo)'),
  )
    .option('--canary-url <url>', "the canary platform's base URL, for the blast radius after a rollback")
    .option('--steps <list>', 'canary weights in percent, e.g. 1,5,25,50,100', (v: string) => {
      try {
        return parseSteps(v);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    })
    .option('--interval <duration>', 'time between analyses, e.g. 10s', duration('--interval'))
    .option('--min-step <duration>', 'minimum time per step, e.g. 5m', duration('--min-step'))
    .option('--min-samples <n>', 'minimum canary orders per step', number('--min-samples', 0, 1e9))
    .option(
      '--max-duration <duration>',
      'roll back if not promoted within this, e.g. 4h',
      duration('--max-duration'),
    )
    .option(
      '--alpha <p>',
      'most often a release as good as the current one may be rolled back (default 0.01)',
      number('--alpha', 1e-9, 0.5),
    )
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--resume <dir>', 'resume the rollout journaled in this run folder')
    .addOption(pushgatewayOption())
    .option('--json', 'print the outcome as JSON')
    .action(action(canaryRun));

  addSourceOptions(
    canary
      .command('judge')
      .description(
        'one judgement of canary vs baseline (CI, Argo job provider): exit 0 pass, 1 fail, 3 inconclusive',
      ),
  )
    .option('--window <duration>', 'time between the two snapshots judged', duration('--window'), 60_000)
    .option(
      '--alpha <p>',
      'most often a release as good as the current one may be rolled back',
      number('--alpha', 1e-9, 0.5),
    )
    .option('--run-dir <dir>', 'run folder')
    .option('--json', 'print the verdict as JSON')
    .action(action(canaryJudge));

  addSourceOptions(
    canary
      .command('serve')
      .description(
        'the gate server for Flagger webhooks and the Argo Rollouts web provider (token from SHIPGATE_GATE_TOKEN)',
      ),
  )
    .option('--port <n>', 'port', number('--port', 0, 65535), 8787)
    .option('--host <host>', 'interface to bind (loopback unless told otherwise)', '127.0.0.1')
    .option(
      '--alpha <p>',
      'most often a release as good as the current one may be rolled back',
      number('--alpha', 1e-9, 0.5),
    )
    .action(action(canaryServe));
}
