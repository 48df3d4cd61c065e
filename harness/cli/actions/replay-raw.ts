import { basename } from 'node:path';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import type { Report } from '../../../core/report/model.ts';
import { decidingCheck, exitCodeFor } from '../../../core/report/verdict.ts';
import { createProgress } from '../../../scenarios/progress/progress.ts';
import { type HeaderValue, parseHeaderFlag } from '../../../scenarios/raw/headers.ts';
import { type RawRunResult, runRawReplayLayer } from '../../../scenarios/raw/run.ts';
import { replayRunFolder } from '../../../scenarios/replay/run-dir.ts';
import { buildReport } from '../../report/build.ts';
import { writeReports } from '../../report/write.ts';
import { pushgatewayTarget, withSelfMetrics } from '../../telemetry/self-metrics-run.ts';
import type { ReplayCommandOptions } from '../commands/replay.ts';
import { withInterrupt } from '../interrupt.ts';
import { output } from '../run-command.ts';

/** `shipgate replay FILE --raw`: flags → the raw replay runner (scenarios/raw/run.ts) → the reports. */
export async function runRawReplayCommand(
  file: string,
  options: ReplayCommandOptions,
): Promise<{ exitCode: ExitCode; runDir: string; summary: RawReplaySummary }> {
  const { format } = options;
  if (format && format !== 'har' && format !== 'gor')
    throw shipgateError('SG_USAGE', { message: `--raw replays a HAR or GoReplay recording, not ${format}` });
  if (options.multiply !== 1)
    throw shipgateError('SG_USAGE', {
      message: '--multiply is not available with --raw: requests are sent as recorded',
    });
  const headers: Record<string, HeaderValue> = Object.fromEntries(
    (options.header ?? []).map(parseHeaderFlag),
  );
  const pushgateway = pushgatewayTarget(options.pushgateway ? { flag: options.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['replay'] } }, async (telemetry) => {
    const { events } = telemetry;
    let progress: ReturnType<typeof createProgress> | undefined;
    const result = await withInterrupt((interrupt) =>
      runRawReplayLayer({
        file,
        ...(format ? { format } : {}),
        candidate: options.target,
        ...(options.baseline ? { baseline: options.baseline } : {}),
        ...(options.secondBaseline ? { secondBaseline: options.secondBaseline } : {}),
        folder: () => replayRunFolder(options),
        resume: options.resume !== undefined,
        checkSameRun: true,
        allowHosts: options.allowHost,
        headers,
        headersKey: '--header',
        endpoints: options.endpoint ?? [],
        ...(options.speed !== undefined ? { speed: options.speed } : {}),
        concurrency: options.concurrency,
        timeoutMs: options.timeout,
        diffBudget: options.diffBudget,
        signal: options.signal ? AbortSignal.any([interrupt, options.signal]) : interrupt,
        onStart: ({ run }) => {
          telemetry.pushAs(run.id);
          progress = createProgress({
            ...(options.progressStream ? { stream: options.progressStream } : {}),
            mode: options.progress ? undefined : 'off',
            label: 'raw replay',
          });
        },
        onProgress: (p) => {
          const shown = asProgress(p.requests, p.inFlight, p.elapsedMs);
          progress?.update(shown);
          events.replay(shown);
        },
        interruptedSummary: (run) =>
          `Interrupted before the end; resume with: shipgate replay ${basename(file)} --raw --target ${options.target} --resume ${run.dir}`,
      }),
    );
    const { run, section } = result;
    progress?.stop(
      asProgress(result.result.requests, 0, result.finishedAt.getTime() - result.startedAt.getTime()),
    );
    events.layerFinished('replay', section);
    const report = rawReplayReport(result, file);
    const files = { ...result.files, ...writeReports(run, report) };
    const summary = rawReplaySummary(result, report.decision.verdict, files);
    output(options.json, summary, () => formatRawReplaySummary(summary, section.summary));
    return { exitCode: exitCodeFor(report.decision.verdict), runDir: run.dir, summary };
  });
}

/** The progress bar counts lines and orders; a raw request is both. */
function asProgress(
  r: RawRunResult['result']['requests'],
  inFlight: number,
  elapsedMs: number,
): Parameters<ReturnType<typeof createProgress>['update']>[0] {
  return {
    lines: {
      read: r.read,
      sent: r.sent,
      failed: r.failed,
      quarantined: r.quarantined,
      late: r.late,
      resumed: r.resumed,
    },
    orders: {
      attempted: r.sent + r.failed,
      accepted: r.sent,
      duplicates: 0,
      failed: r.failed,
      retried: 0,
      confirmed: 0,
      lost: 0,
    },
    inFlight,
    elapsedMs,
  };
}

export function rawReplayReport(result: RawRunResult, file: string): Report {
  const layers = { replay: result.section };
  const { candidate, baseline } = result.result.targets;
  return buildReport({
    runId: result.run.id,
    command: 'replay --raw',
    release: {
      name: `raw replay of ${basename(file)}`,
      candidateVersion: 'candidate',
      ...(baseline ? { baselineVersion: 'baseline' } : {}),
      ...(candidate ? { target: candidate.origin } : {}),
    },
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    layers,
    reason: result.interrupted
      ? result.section.summary
      : (decidingCheck({ layers })?.message ?? result.section.summary),
  });
}

export interface RawReplaySummary {
  verdict: 'pass' | 'fail' | 'inconclusive';
  runDir: string;
  interrupted: boolean;
  requests: RawRunResult['result']['requests'];
  quarantineReasons: Record<string, number>;
  diff?: Omit<NonNullable<RawRunResult['diff']>, 'fields'> & {
    fields: Omit<NonNullable<RawRunResult['diff']>['fields'][number], 'samples'>[];
  };
  files: Record<string, string>;
}

function rawReplaySummary(
  result: RawRunResult,
  verdict: RawReplaySummary['verdict'],
  files: Record<string, string>,
): RawReplaySummary {
  const { diff } = result;
  return {
    verdict,
    runDir: result.run.dir,
    interrupted: result.interrupted,
    requests: result.result.requests,
    quarantineReasons: result.result.quarantineReasons,
    ...(diff ? { diff: { ...diff, fields: diff.fields.map(({ samples: _s, ...f }) => f) } } : {}),
    files,
  };
}

function formatRawReplaySummary(s: RawReplaySummary, headline: string): string {
  const r = s.requests;
  const reasons = Object.entries(s.quarantineReasons).map(([code, n]) => `${n} ${code}`);
  const lines = [
    `raw replay: ${s.verdict.toUpperCase()} — ${headline}`,
    `  requests: ${r.read} read = ${r.sent} sent + ${r.failed} failed + ${r.quarantined} quarantined${reasons.length ? ` (${reasons.join(', ')})` : ''}` +
      `${r.resumed ? ` (${r.resumed} from the interrupted run)` : ''}`,
  ];
  if (s.diff) {
    lines.push(`  diff: ${s.diff.summary}`);
    for (const f of s.diff.fields.filter((g) => !g.noisy).slice(0, 5)) lines.push(`    - ${f.summary}`);
    const noise = s.diff.fields.filter((g) => g.noisy).length;
    if (noise)
      lines.push(`  noise: ${noise} field${noise === 1 ? '' : 's'} the baselines disagree on, ignored`);
  }
  lines.push(`  run folder: ${s.runDir}`);
  return lines.join('\n');
}
