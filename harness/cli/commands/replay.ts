import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action, output, parsePositiveNumber as positive } from '../run-command.ts';

/**
 * `shipgate replay FILE --target URL [--baseline URL] [--second-baseline URL] ...`
 *
 * Replays recorded orders at the candidate (and, with --baseline, at the baseline and
 * optionally a second baseline, concurrently), reconciles what each platform did with
 * every order, diffs the decisions, and writes the run folder: results*.jsonl,
 * quarantine.jsonl, diff.json, replay.json and the reports. Exit 1 when an order was
 * lost or the decisions differ beyond the budget; 3 when it was interrupted or the
 * target could not be reached; 2 for usage errors (including a target not on the
 * allowlist, refused before any request).
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recorded orders against a platform, account for every order, diff against a baseline',
    )
    .argument('<file>', 'traffic file (.jsonl, .csv or .har), ideally scrubbed (shipgate traffic scrub)')
    .requiredOption('--target <url>', 'the candidate platform (base URL)')
    .option('--baseline <url>', 'the current platform, to diff decisions against')
    .option('--second-baseline <url>', 'a second instance of the baseline, to learn which fields are noise')
    .option(
      '--speed <n|max>',
      'virtual seconds replayed per real second (1440: a day in a minute; max: no waiting); default: the target clock’s speed',
      parseSpeed,
    )
    .option('--multiply <n>', 'send each order n times with derived ids (x10 peak)', parseMultiply, 1)
    .option('--concurrency <n>', 'most requests in flight per target', parseInteger('--concurrency'), 64)
    .option('--timeout <ms>', 'per-request timeout', parsePositiveNumber('--timeout'), 10_000)
    .option(
      '--settle-timeout <ms>',
      'how long to wait for accepted orders to finish processing',
      parsePositiveNumber('--settle-timeout'),
      30_000,
    )
    .option(
      '--diff-budget <share>',
      'max share of orders with unexplained differences (0..1)',
      parseShare,
      0.01,
    )
    .option(
      '--allow-host <host>',
      'allow a host, IP or CIDR besides loopback (repeatable)',
      collect,
      [] as string[],
    )
    .addOption(
      new Option('--format <format>', 'traffic format when the extension does not tell').choices([
        'jsonl',
        'csv',
        'har',
      ]),
    )
    .option(
      '--resume <run-dir>',
      'continue an interrupted run from its results files (no order is sent twice)',
    )
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--no-progress', 'no progress output')
    .addOption(pushgatewayOption())
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (file: string, options: ReplayCommandOptions) =>
          (await runReplayCommand(file, options)).exitCode,
      ),
    );
}

export interface ReplayCommandOptions {
  target: string;
  baseline?: string;
  secondBaseline?: string;
  speed?: number;
  multiply: number;
  concurrency: number;
  timeout: number;
  settleTimeout: number;
  diffBudget: number;
  allowHost: string[];
  format?: 'jsonl' | 'csv' | 'har';
  resume?: string;
  out?: string;
  /** Push shipgate's own metrics to this Pushgateway (else SHIPGATE_PUSHGATEWAY_URL, else nowhere). */
  pushgateway?: string;
  progress: boolean;
  json?: boolean;
  /** Tests: where progress goes (default stderr). */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Tests and embedding: aborting behaves like Ctrl-C. */
  signal?: AbortSignal;
  /** Tests: reconciliation poll interval. */
  pollIntervalMs?: number;
}

export interface ReplayCommandResult {
  exitCode: ExitCode;
  runDir: string;
  summary: ReplaySummary;
}

/** What `--json` prints: counts, lost ids, diff groups and file paths (never order content). */
export interface ReplaySummary {
  verdict: 'pass' | 'fail' | 'inconclusive';
  runDir: string;
  interrupted: boolean;
  accounting: import('../../../scenarios/replay/types.ts').LineAccounting & { lost: number };
  orders: import('../../../scenarios/replay/types.ts').OrderAccounting;
  lost: import('../../../scenarios/replay/reconcile.ts').LostOrder[];
  diff?: Omit<
    import('../../../scenarios/diff/diff.ts').DiffResult,
    'missingInBaseline' | 'missingInCandidate'
  >;
  throughput: { ordersPerSecond: number; latencyP95Ms: number; scheduleLagP99Ms: number };
  files: Record<string, string>;
}

export async function runReplayCommand(
  file: string,
  options: ReplayCommandOptions,
): Promise<ReplayCommandResult> {
  const { pushgatewayTarget, withSelfMetrics } = await import('../../telemetry/self-metrics-run.ts');
  const pushgateway = pushgatewayTarget(options.pushgateway ? { flag: options.pushgateway } : {});
  return withSelfMetrics({ pushgateway, plan: { layers: ['replay'] } }, (telemetry) =>
    replayCommand(file, options, telemetry),
  );
}

async function replayCommand(
  file: string,
  options: ReplayCommandOptions,
  telemetry: import('../../telemetry/self-metrics-run.ts').SelfMetricsRun,
): Promise<ReplayCommandResult> {
  const { events } = telemetry;
  const [
    { assertTargetAllowed, createAllowlist },
    { replay },
    { diffRuns },
    { replaySection },
    { createProgress },
    { readTraffic, openQuarantine },
    { createRunFolder, openRunFolder },
    { writeReports },
    { overallVerdict, exitCodeFor, decidingCheck },
    { SCHEMA_VERSION },
    { version },
    { countLines },
  ] = await Promise.all([
    import('../../../scenarios/replay/allowlist.ts'),
    import('../../../scenarios/replay/replayer.ts'),
    import('../../../scenarios/diff/diff.ts'),
    import('../../../scenarios/replay/section.ts'),
    import('../../../scenarios/progress/progress.ts'),
    import('../../../scenarios/traffic/index.ts'),
    import('../../../core/run/run-folder.ts'),
    import('../../report/write.ts'),
    import('../../../core/report/verdict.ts'),
    import('../../../core/report/model.ts'),
    import('../../version.ts'),
    import('../../../scenarios/progress/count-lines.ts'),
  ]);

  // Every target is checked before the run folder exists or a byte is read.
  const allowlist = createAllowlist(options.allowHost);
  for (const url of [options.target, options.baseline, options.secondBaseline]) {
    if (url) assertTargetAllowed(url, allowlist);
  }
  if (options.secondBaseline && !options.baseline) {
    throw shipgateError('SG_USAGE', { message: '--second-baseline needs --baseline' });
  }
  // Fails fast on an unknown extension or missing file, before any folder is made.
  const probe = readTraffic(file, options.format ? { format: options.format } : {});

  if (options.resume) assertSameRun(options.resume, file, options);
  const run = options.resume
    ? openRunFolder(options.resume)
    : createRunFolder(options.out ? { dir: options.out } : {});
  telemetry.pushAs(run.id);
  const resume = options.resume !== undefined;
  const startedAt = new Date();
  run.journal.append({
    type: resume ? 'replay.resumed' : 'replay.started',
    file: basename(file),
    target: new URL(options.target).origin,
    baseline: options.baseline ? new URL(options.baseline).origin : undefined,
    speed: options.speed ?? null,
    multiply: options.multiply,
  });

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  options.signal?.addEventListener('abort', onSigint, { once: true });

  const quarantine = openQuarantine(run.path('quarantine.jsonl'), { source: basename(file), append: resume });
  const total = probe.format === 'har' ? undefined : await countLines(file);
  const progress = createProgress({
    ...(options.progressStream ? { stream: options.progressStream } : {}),
    ...(total !== undefined ? { total } : {}),
    mode: options.progress ? undefined : 'off',
    label: 'replay',
  });

  const common = {
    allowHosts: options.allowHost,
    resume,
    multiply: options.multiply,
    concurrency: options.concurrency,
    timeoutMs: options.timeout,
    settleTimeoutMs: options.settleTimeout,
    signal: controller.signal,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  };
  const formatOption = { format: probe.format };
  const files: Record<string, string> = { results: run.path('results.jsonl') };
  if (options.baseline) files.baselineResults = run.path('results-baseline.jsonl');
  if (options.secondBaseline) files.secondBaselineResults = run.path('results-baseline2.jsonl');
  let results: Awaited<ReturnType<typeof replay>>[];
  try {
    const runs = [
      replay({
        ...common,
        label: 'candidate',
        target: options.target,
        records: probe,
        resultsFile: run.path('results.jsonl'),
        onProgress: (p) => {
          progress.update(p);
          events.replay(p);
        },
        onQuarantine: (record, { resumed }) => {
          if (!resumed) quarantine.write(record);
        },
      }),
    ];
    if (options.baseline) {
      runs.push(
        replay({
          ...common,
          label: 'baseline',
          target: options.baseline,
          records: readTraffic(file, formatOption),
          resultsFile: run.path('results-baseline.jsonl'),
        }),
      );
    }
    if (options.secondBaseline) {
      runs.push(
        replay({
          ...common,
          label: 'second-baseline',
          target: options.secondBaseline,
          records: readTraffic(file, formatOption),
          resultsFile: run.path('results-baseline2.jsonl'),
        }),
      );
    }
    results = await Promise.all(runs);
  } finally {
    process.removeListener('SIGINT', onSigint);
    quarantine.close();
  }
  const [candidate, baseline, second] = results as [
    (typeof results)[number],
    (typeof results)[number] | undefined,
    (typeof results)[number] | undefined,
  ];
  progress.stop({
    lines: candidate.lines,
    orders: candidate.orders,
    inFlight: 0,
    elapsedMs: Date.now() - startedAt.getTime(),
  });
  events.replay(candidate);
  files.quarantine = quarantine.file;
  const interrupted = results.some((r) => r.aborted);

  const diff =
    baseline && !interrupted
      ? diffRuns(
          {
            baseline: baseline.states,
            candidate: candidate.states,
            ...(second ? { secondBaseline: second.states } : {}),
          },
          { budget: options.diffBudget },
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
    input: { file: basename(file), format: probe.format },
    startedAt,
    finishedAt,
  });
  if (interrupted) {
    section.status = 'inconclusive';
    section.summary = `Interrupted before the end; resume with: shipgate replay ${basename(file)} --target ${options.target} --resume ${run.dir}`;
  }
  events.layerFinished('replay', section);
  const layers = { replay: section };
  const verdict = overallVerdict({ layers });
  const decider = decidingCheck({ layers });
  const exitCode = exitCodeFor(verdict);
  const report = {
    schemaVersion: SCHEMA_VERSION,
    runId: run.id,
    command: 'replay',
    tool: { name: 'shipgate' as const, version: version() },
    release: {
      name: `replay of ${basename(file)}`,
      candidateVersion: candidateVersion(candidate),
      ...(baseline ? { baselineVersion: candidateVersion(baseline) } : {}),
      target: candidate.target,
    },
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    },
    decision: {
      verdict,
      reason: interrupted ? section.summary : (decider?.message ?? section.summary),
      exitCode,
      ...(decider ? { decidedBy: { layer: 'replay' as const, checkId: decider.id } } : {}),
    },
    layers,
  };
  Object.assign(files, writeReports(run, report));
  run.journal.append({
    type: interrupted ? 'replay.interrupted' : 'replay.finished',
    verdict,
    lines: candidate.lines,
    lost: candidate.lost.length,
    diffShare: diff?.share ?? null,
  });

  const summary: ReplaySummary = {
    verdict,
    runDir: run.dir,
    interrupted,
    accounting: { ...candidate.lines, lost: candidate.lost.length },
    orders: candidate.orders,
    lost: candidate.lost,
    ...(diff ? { diff: withoutMissing(diff) } : {}),
    throughput: {
      ordersPerSecond: Math.round(candidate.schedule.throughput * 10) / 10,
      latencyP95Ms: candidate.latencyMs.p95,
      scheduleLagP99Ms: candidate.schedule.lagMs.p99,
    },
    files,
  };
  output(options.json, summary, () => human(summary, section.summary));
  return { exitCode, runDir: run.dir, summary };
}

/**
 * A resumed run must continue the same replay: the same input file at the same targets.
 * Sending the rest of a day to another platform, or another file's orders under the
 * first file's results, would make the accounting meaningless.
 */
function assertSameRun(dir: string, file: string, options: ReplayCommandOptions): void {
  let started: Record<string, unknown> | undefined;
  try {
    for (const line of readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        if (event.type === 'replay.started') started = event;
      } catch {
        // a torn last line from the interrupted run
      }
    }
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw shipgateError('SG_FILE_UNREADABLE', { file: join(dir, 'journal.jsonl'), reason });
  }
  if (!started)
    throw shipgateError('SG_USAGE', {
      message: `${dir} is not a replay run folder (no replay.started in its journal)`,
    });
  const mismatch = (what: string, before: unknown, now: unknown) =>
    shipgateError('SG_USAGE', {
      message: `--resume ${dir}: that run replayed ${what} ${String(before)}, not ${String(now)}`,
    });
  if (started.file !== basename(file)) throw mismatch('file', started.file, basename(file));
  const target = new URL(options.target).origin;
  if (started.target !== target) throw mismatch('to target', started.target, target);
  const baseline = options.baseline ? new URL(options.baseline).origin : undefined;
  if ((started.baseline ?? undefined) !== baseline)
    throw mismatch('to baseline', started.baseline ?? 'none', baseline ?? 'none');
  if (started.multiply !== options.multiply)
    throw mismatch('with --multiply', started.multiply, options.multiply);
}

function candidateVersion(result: { states: Map<string, { version: string }> }): string {
  for (const state of result.states.values()) return state.version;
  return 'unknown';
}

function withoutMissing<T extends { missingInBaseline: unknown; missingInCandidate: unknown }>(diff: T) {
  const { missingInBaseline: _b, missingInCandidate: _c, ...rest } = diff;
  return rest;
}

function human(s: ReplaySummary, headline: string): string {
  const a = s.accounting;
  const lines = [
    `replay: ${s.verdict.toUpperCase()} — ${headline}`,
    `  lines: ${a.read} read = ${a.sent} sent + ${a.failed} failed + ${a.quarantined} quarantined` +
      `${a.late ? ` (${a.late} out of order)` : ''}${a.resumed ? ` (${a.resumed} from the interrupted run)` : ''}`,
    `  orders: ${s.orders.accepted} accepted, ${s.orders.failed} failed, ${s.orders.retried} retried, ${a.lost} lost`,
  ];
  if (s.lost.length) {
    const shown = s.lost.slice(0, 20).map((l) => `${l.id} (line ${l.line}, ${l.reason})`);
    lines.push(`  lost: ${shown.join(', ')}${s.lost.length > 20 ? ` and ${s.lost.length - 20} more` : ''}`);
  }
  if (s.diff) {
    lines.push(`  diff: ${s.diff.summary}`);
    for (const group of s.diff.groups.filter((g) => !g.noisy).slice(0, 5))
      lines.push(`    - ${group.summary}`);
  }
  lines.push(
    `  throughput: ${s.throughput.ordersPerSecond} orders/s, p95 ${s.throughput.latencyP95Ms} ms, schedule lag p99 ${s.throughput.scheduleLagP99Ms} ms`,
    `  run folder: ${s.runDir}`,
  );
  return lines.join('\n');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** commander turns InvalidArgumentError into a usage error (exit 2) naming the option. */
function parsePositiveNumber(name: string) {
  const parse = positive(name);
  return (value: string): number => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

function parseSpeed(value: string): number {
  if (value === 'max') return Number.POSITIVE_INFINITY;
  return parsePositiveNumber('--speed')(value);
}

function parseMultiply(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError(`--multiply must be an integer from 1 to 1000, got "${value}"`);
  return n;
}

function parseInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

function parseShare(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`--diff-budget must be a share from 0 to 1, got "${value}"`);
  return n;
}
