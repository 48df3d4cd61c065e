import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { judgementSection } from '../../../canary/controller/report.ts';
import { DEFAULT_VERSIONS } from '../../../canary/controller/rollout.ts';
import { type CanaryLayerResult, runCanaryLayer } from '../../../canary/controller/run-layer.ts';
import { sequentialJudge } from '../../../canary/judges/index.ts';
import { CATALOGUE } from '../../../canary/metrics/catalogue.ts';
import { startGateServer } from '../../../canary/server/app.ts';
import { createGateSession } from '../../../canary/server/session.ts';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import { createRunFolder, openRunFolder, type RunFolder } from '../../../core/run/run-folder.ts';
import { pushgatewayTarget, type SelfMetricsRun, withSelfMetrics } from '../../telemetry/self-metrics-run.ts';
import { untilInterrupted, withInterrupt } from '../interrupt.ts';
import { output } from '../run-command.ts';
import {
  type ActuatorFlags,
  actuatorFrom,
  type RolloutFlags,
  requiredToken,
  rolloutFrom,
  type SourceFlags,
  sourceFrom,
} from './canary-options.ts';
import { progressLine, rolloutSummary, writeCanaryReport } from './canary-output.ts';

/**
 * The work of `shipgate canary run | judge | serve`: the rollout itself (the canary
 * layer's runner, canary/controller/run-layer.ts, which `shipgate gate` calls too), one
 * judgement for CI and Argo job providers, and the gate server Flagger and Argo call.
 */

export interface RunFlags extends SourceFlags, Omit<ActuatorFlags, 'actuator'>, RolloutFlags {
  /** Default `router` (or the config's actuator with --config). */
  actuator?: ActuatorFlags['actuator'];
  /** The same config as `gate` (source, actuator, metrics, versions, rollout); flags override it. */
  config?: string;
  canaryUrl?: string;
  runDir?: string;
  resume?: string;
  pushgateway?: string;
  json?: boolean;
}

export async function canaryRun(flags: RunFlags): Promise<ExitCode> {
  if (flags.resume && flags.runDir)
    throw shipgateError('SG_USAGE', { message: 'give --resume DIR or --run-dir DIR, not both' });
  if (flags.resume && !existsSync(join(flags.resume, 'journal.jsonl')))
    throw shipgateError('SG_USAGE', {
      message: `--resume ${flags.resume}: no journal.jsonl there to resume from`,
    });
  const dir = flags.resume ?? flags.runDir;
  const folder = dir ? openRunFolder(dir) : createRunFolder();
  const pushgateway = pushgatewayTarget(flags.pushgateway ? { flag: flags.pushgateway } : {});
  return withSelfMetrics({ runId: folder.id, pushgateway, plan: { layers: ['canary'] } }, ({ events }) =>
    rollout(flags, folder, events),
  );
}

async function rollout(
  flags: RunFlags,
  folder: RunFolder,
  events: SelfMetricsRun['events'],
): Promise<ExitCode> {
  const say = (text: string) => void (flags.json || process.stderr.write(`${text}\n`));
  if (flags.config) return rolloutFromConfig(flags, folder, events, say);
  const { source, name } = sourceFrom(flags);
  // Ctrl-C / SIGTERM stop the loop between journal events; the journal keeps the rollout
  // resumable (`--resume DIR`), and nothing is reported as decided that was not.
  const result = await withInterrupt(
    (signal) =>
      runCanaryLayer({
        source,
        sourceName: name,
        actuator: actuatorFrom({ ...flags, actuator: flags.actuator ?? 'router' }, folder.id),
        run: folder,
        rollout: rolloutFrom(flags),
        ...(flags.resume ? { resume: true } : {}),
        ...(flags.canaryUrl ? { blastRadius: { canaryUrl: flags.canaryUrl } } : {}),
        signal,
        progress: say,
        onEvent: (event) => {
          events.canary(event);
          const line = progressLine(event);
          if (line) say(line);
        },
      }),
    () => undefined,
  );
  return finish(flags, folder, events, result);
}

/**
 * `canary run --config FILE`: the gate's canary layer (harness/gate/layers/canary.ts) on
 * the config's target, source, actuator, metrics and versions, the flags overriding it.
 */
async function rolloutFromConfig(
  flags: RunFlags,
  folder: RunFolder,
  events: SelfMetricsRun['events'],
  say: (text: string) => void,
): Promise<ExitCode> {
  const [{ loadConfig }, { canaryConfigWithFlags }, { startTarget }, { runCanary }] = await Promise.all([
    import('../../config/load.ts'),
    import('./canary-config.ts'),
    import('../../targets/gate-target.ts'),
    import('../../gate/layers/canary.ts'),
  ]);
  const config = canaryConfigWithFlags((await loadConfig({ file: flags.config })).resolved, flags);
  if (flags.canaryUrl && config.target.kind === 'urls') config.target.canary = flags.canaryUrl;
  const target = await startTarget(config);
  try {
    const progress = Object.assign((line: string) => say(line), {
      canary: (event: Parameters<SelfMetricsRun['events']['canary']>[0]) => events.canary(event),
    });
    const result = await withInterrupt(
      (signal) => runCanary(config, target, folder, progress, signal),
      () => undefined,
    );
    return finish(flags, folder, events, result?.layer);
  } finally {
    await target.stop();
  }
}

function finish(
  flags: RunFlags,
  folder: RunFolder,
  events: SelfMetricsRun['events'],
  result: CanaryLayerResult | undefined,
): ExitCode {
  if (!result) {
    process.stderr.write(
      `shipgate: interrupted; the rollout is journaled in ${folder.dir}; resume with --resume ${folder.dir}\n`,
    );
    return ExitCode.Inconclusive;
  }
  events.layerFinished('canary', result.section);
  const exitCode = writeCanaryReport(folder, 'canary run', result.section, result.versions);
  const { json, human } = rolloutSummary(result, exitCode, folder.dir);
  output(flags.json, json, human);
  return exitCode;
}

interface JudgingFlags extends SourceFlags {
  alpha?: number;
  /** The same config as `gate`: its source, metrics, versions, alpha and margins; flags override it. */
  config?: string;
}

export interface JudgeFlags extends JudgingFlags {
  window: number;
  runDir?: string;
  json?: boolean;
}

/**
 * What `judge` and `serve` judge, and where the metrics come from: with --config, the
 * config's source, metric definitions, version label and values, alpha and margins (a
 * platform's own names); without, the flags' source and the built-in catalogue.
 */
async function judging(flags: JudgingFlags) {
  if (!flags.config) {
    return {
      ...sourceFrom(flags),
      metrics: CATALOGUE,
      versions: DEFAULT_VERSIONS,
      alpha: flags.alpha ?? 0.01,
      judgeConfig: flags.alpha ? { alpha: flags.alpha } : {},
    };
  }
  const [{ loadConfig }, { canaryConfigWithFlags }, { configuredSource, judgeMargins }] = await Promise.all([
    import('../../config/load.ts'),
    import('./canary-config.ts'),
    import('../../gate/layers/canary.ts'),
  ]);
  const config = canaryConfigWithFlags((await loadConfig({ file: flags.config })).resolved, {
    ...(flags.prometheus ? { prometheus: flags.prometheus } : {}),
    ...(flags.scrape ? { scrape: flags.scrape } : {}),
    ...(flags.alpha ? { alpha: flags.alpha } : {}),
  });
  const k = config.canary;
  const { source, name } = configuredSource(
    config,
    k.source.endpoints ?? (config.target.kind === 'urls' ? config.target.metrics : []),
  );
  return {
    source,
    name,
    metrics: k.metrics,
    versions: { canary: k.versions.canary, baseline: k.versions.baseline },
    alpha: k.alpha,
    judgeConfig: { alpha: k.alpha, minCanarySamples: k.minCanarySamples, margins: judgeMargins(k.margins) },
  };
}

/** Two snapshots `--window` apart, judged once: exit 0 pass, 1 fail, 3 inconclusive. */
export async function canaryJudge(flags: JudgeFlags): Promise<ExitCode> {
  const { source, name, metrics, versions, alpha, judgeConfig } = await judging(flags);
  await source.preflight?.(metrics, [versions.canary, versions.baseline]);
  const session = createGateSession({ source, metrics, versions, judgeConfig });
  const startedAt = Date.now();
  await session.evaluate();
  await new Promise((r) => setTimeout(r, flags.window));
  const result = await session.evaluate();
  const folder = flags.runDir ? openRunFolder(flags.runDir) : createRunFolder();
  const compared = [versions.canary, versions.baseline];
  const queries = Object.fromEntries(metrics.map((m) => [m.id, source.queries?.(m, compared) ?? []]));
  const section = judgementSection(result, {
    metrics,
    alpha,
    source: name,
    startedAt,
    finishedAt: Date.now(),
    queries,
  });
  const exitCode = writeCanaryReport(folder, 'canary judge', section, versions);
  output(
    flags.json,
    { verdict: result.verdict, reason: result.reason, exitCode, runDir: folder.dir, metrics: result.metrics },
    () => `${result.verdict.toUpperCase()}: ${result.reason}\nrun folder: ${folder.dir}`,
  );
  return exitCode;
}

export interface ServeFlags extends JudgingFlags {
  port: number;
  host: string;
}

export async function canaryServe(flags: ServeFlags): Promise<ExitCode> {
  const gateToken = requiredToken('SHIPGATE_GATE_TOKEN', 'shipgate canary serve');
  const { source, metrics, versions, judgeConfig } = await judging(flags);
  const server = await startGateServer({
    token: gateToken,
    host: flags.host,
    port: flags.port,
    sessionFor: () => createGateSession({ source, metrics, versions, judge: sequentialJudge, judgeConfig }),
  });
  process.stderr.write(`shipgate gate server listening on ${server.url}\n`);
  await untilInterrupted();
  await server.close();
  return ExitCode.Pass;
}
