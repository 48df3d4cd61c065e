import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import type { ReplayLayer } from '../../core/report/model.ts';
import type { RunFolder } from '../../core/run/run-folder.ts';
import { type DiffResult, diffRuns } from '../diff/diff.ts';
import { sandboxPlatform } from '../platform/sandbox.ts';
import type { PlatformAdapter } from '../platform/types.ts';
import { openQuarantine } from '../traffic/quarantine.ts';
import { assertTrafficFile, readTraffic } from '../traffic/read.ts';
import type { TrafficFormat } from '../traffic/record.ts';
import { assertTargetAllowed, createAllowlist } from './allowlist.ts';
import { SharedClockOffset } from './orders.ts';
import { replay } from './replayer.ts';
import { assertSameRun } from './run-dir.ts';
import type { RunHooks } from './run-hooks.ts';
import { replaySection } from './section.ts';
import type { ReplayProgress, ReplayResult } from './types.ts';

/**
 * The replay layer's one runner, called by `shipgate replay` and by the gate alike:
 * options in (a traffic file, the URLs of targets already running, a run folder),
 * report section out. It reads the file once per target, quarantines bad lines,
 * replays at the candidate and the baselines concurrently, diffs their decisions and
 * writes results*.jsonl, quarantine.jsonl, diff.json and replay.json. It never starts
 * a target: the caller does, and hands the URLs in.
 */
export interface ReplayRunOptions extends RunHooks<TrafficFormat, ReplayProgress> {
  file: string;
  format?: TrafficFormat;
  /** How the input is named in the report (default: the file's name). */
  inputName?: string;
  candidate: string;
  baseline?: string;
  /** How the targets' order API is spoken (default: the built-in sandbox adapter). */
  platform?: PlatformAdapter;
  /** A second instance of the baseline, to learn which fields are noise. */
  secondBaseline?: string;
  /**
   * The run folder, made only once the inputs are checked: a run that never starts
   * leaves no folder behind.
   */
  folder: () => RunFolder;
  /** Continue from the results files (no order sent twice); else they start afresh. */
  resume?: boolean;
  /** With `resume`: refuse a folder whose journal started another replay (file, targets, multiply). */
  checkSameRun?: boolean;
  allowHosts?: readonly string[];
  speed?: number;
  multiply?: number;
  concurrency?: number;
  timeoutMs?: number;
  settleTimeoutMs?: number;
  pollIntervalMs?: number;
  diffBudget?: number;
}

export interface ReplayRunResult {
  section: ReplayLayer;
  run: RunFolder;
  format: TrafficFormat;
  candidate: ReplayResult;
  baseline?: ReplayResult;
  diff?: DiffResult;
  interrupted: boolean;
  /** The files written, by role. */
  files: Record<string, string>;
  startedAt: Date;
  finishedAt: Date;
}

const RESULTS = {
  candidate: 'results.jsonl',
  baseline: 'results-baseline.jsonl',
  second: 'results-baseline2.jsonl',
};

export async function runReplayLayer(options: ReplayRunOptions): Promise<ReplayRunResult> {
  // Every target and the file are checked before the run folder exists or a byte is sent.
  const allowlist = createAllowlist(options.allowHosts);
  for (const url of [options.candidate, options.baseline, options.secondBaseline]) {
    if (url) assertTargetAllowed(url, allowlist);
  }
  if (options.secondBaseline && !options.baseline)
    throw shipgateError('SG_USAGE', { message: '--second-baseline needs --baseline' });
  assertTrafficFile(options.file);
  const format = options.format ?? readTraffic(options.file).format;
  const origin = (url: string | undefined) => (url ? new URL(url).origin : undefined);
  const started = {
    file: basename(options.file),
    target: origin(options.candidate),
    baseline: origin(options.baseline),
    multiply: options.multiply ?? 1,
  };
  const resume = options.resume === true;
  const run = options.folder();
  if (resume && options.checkSameRun) assertSameRun(run, started);
  if (!resume) for (const name of Object.values(RESULTS)) rmSync(run.path(name), { force: true });
  run.journal.append({
    type: resume ? 'replay.resumed' : 'replay.started',
    ...started,
    speed: options.speed ?? null,
  });
  await options.onStart?.({ run, format });

  const startedAt = new Date();
  const quarantine = openQuarantine(run.path('quarantine.jsonl'), { source: started.file, append: resume });
  const platform = options.platform ?? sandboxPlatform;
  const common = {
    platform,
    sharedClockOffset: new SharedClockOffset(),
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
    resume,
    multiply: started.multiply,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.settleTimeoutMs !== undefined ? { settleTimeoutMs: options.settleTimeoutMs } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const files: Record<string, string> = { results: run.path(RESULTS.candidate) };
  const at = (label: string, target: string, results: string) =>
    replay({
      ...common,
      label,
      target,
      records: readTraffic(options.file, { format }),
      resultsFile: run.path(results),
    });
  let results: ReplayResult[];
  try {
    const runs = [
      replay({
        ...common,
        label: 'candidate',
        target: options.candidate,
        records: readTraffic(options.file, { format }),
        resultsFile: files.results!,
        onQuarantine: (record, info) => {
          if (!info.resumed) quarantine.write(record);
        },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    ];
    if (options.baseline) {
      files.baselineResults = run.path(RESULTS.baseline);
      runs.push(at('baseline', options.baseline, RESULTS.baseline));
    }
    if (options.secondBaseline) {
      files.secondBaselineResults = run.path(RESULTS.second);
      runs.push(at('second-baseline', options.secondBaseline, RESULTS.second));
    }
    results = await Promise.all(runs);
  } finally {
    quarantine.close();
  }
  files.quarantine = quarantine.file;
  const [candidate, baseline, second] = results as [ReplayResult, ReplayResult?, ReplayResult?];
  const interrupted = results.some((r) => r.aborted);

  const diff =
    baseline && !interrupted
      ? diffRuns(
          {
            baseline: baseline.states,
            candidate: candidate.states,
            ...(second ? { secondBaseline: second.states } : {}),
          },
          {
            ...(options.diffBudget !== undefined ? { budget: options.diffBudget } : {}),
            attributes: platform.decisions.groupBy,
            ...(platform.decisions.fields ? { fields: platform.decisions.fields } : {}),
          },
        )
      : undefined;
  if (diff) files.diff = run.writeJson('diff.json', diff);
  files.replay = run.writeJson(
    'replay.json',
    results.map(({ states: _states, ...rest }) => rest),
  );

  const finishedAt = new Date();
  const section = replaySection({
    candidate,
    ...(baseline ? { baseline } : {}),
    ...(diff ? { diff } : {}),
    input: { file: options.inputName ?? started.file, format },
    startedAt,
    finishedAt,
  });
  if (interrupted) {
    section.status = 'inconclusive';
    section.summary =
      options.interruptedSummary?.(run) ?? 'Interrupted before the end: no verdict on the replay.';
  }
  run.journal.append({
    type: interrupted ? 'replay.interrupted' : 'replay.finished',
    verdict: section.status,
    lines: candidate.lines,
    lost: candidate.lost.length,
    diffShare: diff?.share ?? null,
  });
  return {
    section,
    run,
    format,
    candidate,
    ...(baseline ? { baseline } : {}),
    ...(diff ? { diff } : {}),
    interrupted,
    files,
    startedAt,
    finishedAt,
  };
}
