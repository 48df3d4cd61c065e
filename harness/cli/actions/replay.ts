import { basename } from 'node:path';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { exitCodeFor } from '../../../core/report/verdict.ts';
import type { PlatformAdapter } from '../../../scenarios/platform/types.ts';
import { countLines } from '../../../scenarios/progress/count-lines.ts';
import { createProgress } from '../../../scenarios/progress/progress.ts';
import { runReplayLayer } from '../../../scenarios/replay/run.ts';
import { replayRunFolder } from '../../../scenarios/replay/run-dir.ts';
import { loadConfig } from '../../config/load.ts';
import { writeReports } from '../../report/write.ts';
import { configuredPlatform } from '../../targets/platform.ts';
import { pushgatewayTarget, withSelfMetrics } from '../../telemetry/self-metrics-run.ts';
import type { ReplayCommandOptions } from '../commands/replay.ts';
import { withInterrupt } from '../interrupt.ts';
import { output } from '../run-command.ts';
import { formatReplaySummary, type ReplaySummary, replayReport, replaySummary } from './replay-output.ts';

/** The adapter a config's `target.platform` describes (the sandbox's for a sandbox target). */
async function platformFromConfig(file: string): Promise<PlatformAdapter> {
  return configuredPlatform((await loadConfig({ file })).resolved);
}

export interface ReplayCommandResult {
  exitCode: ExitCode;
  runDir: string;
  summary: ReplaySummary;
}

/** Flags → the replay runner (scenarios/replay/run.ts) → report.json and the other reports. */
export async function runReplayCommand(
  file: string,
  options: ReplayCommandOptions,
): Promise<ReplayCommandResult> {
  const { format } = options;
  if (format === 'gor' || (!format && /\.gor$/i.test(file)))
    throw shipgateError('SG_USAGE', {
      message: 'a GoReplay recording (--format gor) is replayed with --raw',
    });
  const platform = options.config ? await platformFromConfig(options.config) : undefined;
  const pushgateway = pushgatewayTarget(options.pushgateway ? { flag: options.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['replay'] } }, async (telemetry) => {
    const { events } = telemetry;
    let progress: ReturnType<typeof createProgress> | undefined;
    // Ctrl-C and the caller's signal both end the run as an interruption (exit 3, resumable).
    const result = await withInterrupt((interrupt) =>
      runReplayLayer({
        file,
        ...(format ? { format } : {}),
        candidate: options.target,
        ...(options.baseline ? { baseline: options.baseline } : {}),
        ...(options.secondBaseline ? { secondBaseline: options.secondBaseline } : {}),
        ...(platform ? { platform } : {}),
        folder: () => replayRunFolder(options),
        resume: options.resume !== undefined,
        checkSameRun: true,
        allowHosts: options.allowHost,
        ...(options.speed !== undefined ? { speed: options.speed } : {}),
        multiply: options.multiply,
        concurrency: options.concurrency,
        timeoutMs: options.timeout,
        settleTimeoutMs: options.settleTimeout,
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
        diffBudget: options.diffBudget,
        signal: options.signal ? AbortSignal.any([interrupt, options.signal]) : interrupt,
        onStart: async ({ run, format }) => {
          telemetry.pushAs(run.id);
          const total = format === 'har' ? undefined : await countLines(file);
          progress = createProgress({
            ...(options.progressStream ? { stream: options.progressStream } : {}),
            ...(total !== undefined ? { total } : {}),
            mode: options.progress ? undefined : 'off',
            label: 'replay',
          });
        },
        onProgress: (p) => {
          progress?.update(p);
          events.replay(p);
        },
        interruptedSummary: (run) =>
          `Interrupted before the end; resume with: shipgate replay ${basename(file)} --target ${options.target} --resume ${run.dir}`,
      }),
    );
    const { run, candidate, section } = result;
    const elapsedMs = result.finishedAt.getTime() - result.startedAt.getTime();
    progress?.stop({ lines: candidate.lines, orders: candidate.orders, inFlight: 0, elapsedMs });
    events.replay(candidate);
    events.layerFinished('replay', section);
    const report = replayReport(result, file);
    const files = { ...result.files, ...writeReports(run, report) };
    const summary = replaySummary(result, report.decision.verdict, files);
    output(options.json, summary, () => formatReplaySummary(summary, section.summary));
    return { exitCode: exitCodeFor(report.decision.verdict), runDir: run.dir, summary };
  });
}
