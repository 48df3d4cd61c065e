import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import type { ReplayLayer } from '../../core/report/model.ts';
import type { RunFolder } from '../../core/run/run-folder.ts';
import { assertTargetAllowed, createAllowlist } from '../replay/allowlist.ts';
import { assertSameRun } from '../replay/run-dir.ts';
import type { RunHooks } from '../replay/run-hooks.ts';
import { openQuarantine } from '../traffic/quarantine.ts';
import { assertTrafficFile } from '../traffic/read.ts';
import { diffResponses, type RawDiffResult } from './diff.ts';
import { endpointNamer } from './endpoint.ts';
import { type HeaderValue, resolveHeaderRules } from './headers.ts';
import { detectRawFormat, readRaw } from './read.ts';
import type { RawFormat } from './record.ts';
import { type RawProgress, type RawReplayResult, replayRaw } from './replayer.ts';
import { rawReplaySection } from './section.ts';

/**
 * Raw replay's one runner, called by `shipgate replay --raw` and by the gate
 * (`replay.mode: 'raw'`): a recording (HAR or GoReplay) and the URLs of targets already
 * running in, report section out. Writes results.jsonl, quarantine.jsonl, diff.json and
 * replay.json in the run folder, and journals `replay.started` / `replay.finished` with
 * `mode: "raw"`. Never a body, a header value or a recorded path in any of them.
 */
export interface RawRunOptions extends RunHooks<RawFormat, RawProgress> {
  file: string;
  format?: RawFormat;
  inputName?: string;
  candidate: string;
  baseline?: string;
  secondBaseline?: string;
  folder: () => RunFolder;
  resume?: boolean;
  checkSameRun?: boolean;
  allowHosts?: readonly string[];
  /** Headers set on every request: credentials from the environment (`{ env, prefix }`). */
  headers?: Record<string, HeaderValue>;
  /** Where `headers` came from, for errors: `replay.headers` or `--header`. */
  headersKey?: string;
  /** Path templates that name endpoints the id heuristic would miss (`/users/{user}`). */
  endpoints?: readonly string[];
  speed?: number;
  concurrency?: number;
  timeoutMs?: number;
  diffBudget?: number;
  noiseFactor?: number;
}

export interface RawRunResult {
  section: ReplayLayer;
  run: RunFolder;
  format: RawFormat;
  result: RawReplayResult;
  diff?: RawDiffResult;
  interrupted: boolean;
  files: Record<string, string>;
  startedAt: Date;
  finishedAt: Date;
}

export async function runRawReplayLayer(options: RawRunOptions): Promise<RawRunResult> {
  // Everything is checked before the run folder exists or a byte is sent.
  const allowlist = createAllowlist(options.allowHosts);
  for (const url of [options.candidate, options.baseline, options.secondBaseline])
    if (url) assertTargetAllowed(url, allowlist);
  if (options.secondBaseline && !options.baseline)
    throw shipgateError('SG_USAGE', { message: '--second-baseline needs --baseline' });
  assertTrafficFile(options.file);
  const format = options.format ?? detectRawFormat(options.file);
  const headers = resolveHeaderRules(options.headers ?? {}, options.headersKey ?? 'replay.headers');
  const started = {
    file: basename(options.file),
    target: new URL(options.candidate).origin,
    baseline: options.baseline ? new URL(options.baseline).origin : undefined,
    multiply: 1,
  };
  const resume = options.resume === true;
  const run = options.folder();
  if (resume && options.checkSameRun) {
    assertSameRun(run, started);
    assertRawRun(run);
  }
  const files: Record<string, string> = { results: run.path('results.jsonl') };
  if (!resume) rmSync(files.results!, { force: true });
  run.journal.append({
    type: resume ? 'replay.resumed' : 'replay.started',
    mode: 'raw',
    format,
    ...started,
    secondBaseline: options.secondBaseline ? new URL(options.secondBaseline).origin : null,
    speed: Number.isFinite(options.speed ?? 1) ? (options.speed ?? 1) : 'max',
    headersSet: headers.map((h) => h.name),
  });
  await options.onStart?.({ run, format });

  const startedAt = new Date();
  const reader = readRaw(options.file, { format });
  const quarantine = openQuarantine(run.path('quarantine.jsonl'), { source: started.file, append: resume });
  let result: RawReplayResult;
  try {
    result = await replayRaw({
      records: reader,
      targets: {
        candidate: options.candidate,
        ...(options.baseline ? { baseline: options.baseline } : {}),
        ...(options.secondBaseline ? { secondBaseline: options.secondBaseline } : {}),
      },
      ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
      headers,
      endpoint: endpointNamer(options.endpoints),
      resultsFile: files.results!,
      resume,
      ...(options.speed !== undefined ? { speed: options.speed } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onQuarantine: (record, info) => {
        if (!info.resumed) quarantine.write(record);
      },
    });
  } finally {
    quarantine.close();
  }
  files.quarantine = quarantine.file;
  const interrupted = result.aborted;
  const diff =
    options.baseline && !interrupted
      ? diffResponses(result.compared, {
          ...(options.diffBudget !== undefined ? { budget: options.diffBudget } : {}),
          ...(options.noiseFactor !== undefined ? { noiseFactor: options.noiseFactor } : {}),
        })
      : undefined;
  if (diff) files.diff = run.writeJson('diff.json', diff);
  const { compared: _compared, ...summary } = result;
  files.replay = run.writeJson('replay.json', {
    mode: 'raw',
    format,
    ...summary,
    responsesInFile: reader.stats.responses,
  });
  const finishedAt = new Date();
  const section = rawReplaySection({
    result,
    ...(diff ? { diff } : {}),
    input: { file: options.inputName ?? started.file, format },
    responsesInFile: reader.stats.responses,
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
    mode: 'raw',
    verdict: section.status,
    requests: result.requests,
    diffShare: diff?.share ?? null,
  });
  return {
    section,
    run,
    format,
    result,
    ...(diff ? { diff } : {}),
    interrupted,
    files,
    startedAt,
    finishedAt,
  };
}

/** A folder an order replay started cannot be resumed as a raw one (its results mean other things). */
function assertRawRun(run: RunFolder): void {
  const started = readFileSync(run.journal.file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"replay.started"'))
    .at(-1);
  if (started && !started.includes('"mode":"raw"'))
    throw shipgateError('SG_USAGE', {
      message: `--resume ${run.dir}: that run replayed orders, not raw requests; resume it without --raw`,
    });
}
