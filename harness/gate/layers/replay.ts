import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ReplayLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import type { GateProgress } from '../progress.ts';

/**
 * The replay layer: the same orders replayed at the candidate and the baseline (and a
 * second baseline when configured) concurrently, every line accounted for, decisions
 * diffed. Without a traffic file, a generated day (deterministic from the seed) is
 * written to a temp folder outside the run folder: even synthetic customer details
 * never land among the run's files.
 *
 * Against the sandbox the replay gets a world of its own on a 60× clock (a real
 * second is a virtual minute, the sandbox's default pace): the replay judges
 * decisions, and on the canary layer's 3600× clock a few real seconds of queueing
 * would become virtual hours and flip every order's dispatch cutoff — an artefact of
 * the compression, not a decision. Slowness under load is the scenarios' and the
 * canary's to judge.
 */
export const SANDBOX_REPLAY_SPEED = 60;

export async function runReplay(
  config: ResolvedConfig,
  target: GateTarget,
  run: RunFolder,
  progress: GateProgress,
  signal?: AbortSignal,
  /**
   * After a kill: `resume` continues from the results files' intents (a platform that
   * outlived the gate: no order sent twice); `rerun` starts them afresh (a new sandbox).
   */
  after?: 'resume' | 'rerun' | 'run' | 'restore',
): Promise<ReplayLayer> {
  const [{ replay }, { diffRuns }, { replaySection }, { readTraffic, openQuarantine }] = await Promise.all([
    import('../../../scenarios/replay/replayer.ts'),
    import('../../../scenarios/diff/diff.ts'),
    import('../../../scenarios/replay/section.ts'),
    import('../../../scenarios/traffic/index.ts'),
  ]);
  const r = config.replay;
  let tmp: string | undefined;
  let file = r.traffic;
  let own: { stop(): Promise<void> } | undefined;
  let urls = { canary: target.canary, stable: target.stable };
  try {
    if (target.kind === 'sandbox' && target.sandbox) {
      const { startWorld } = await import('../../../sandbox/launch/world.ts');
      const world = await startWorld({
        speed: SANDBOX_REPLAY_SPEED,
        seed: target.sandbox.seed,
        canaryDefect: target.sandbox.canaryDefect,
        latency: target.sandbox.latency,
      });
      own = world;
      urls = { canary: world.urls.canary, stable: world.urls.stable };
    }
    if (!file) {
      const [{ generateDay }, { writeTraffic }] = await Promise.all([
        import('../../../scenarios/generate/index.ts'),
        import('../../../scenarios/traffic/write.ts'),
      ]);
      tmp = mkdtempSync(join(tmpdir(), 'shipgate-gate-traffic-'));
      file = join(tmp, 'generated-day.jsonl');
      const out = createWriteStream(file);
      await writeTraffic(generateDay({ orders: r.orders, seed: r.seed }), out, 'jsonl');
      out.end();
      await finished(out);
    }
    progress(
      `replay: ${r.traffic ? basename(file) : `a generated day of ${r.orders} orders`} at the candidate and the baseline`,
    );
    const probe = readTraffic(file);
    const resume = after === 'resume';
    const resultsFiles = ['results.jsonl', 'results-baseline.jsonl', 'results-baseline2.jsonl'];
    if (after === 'rerun') for (const name of resultsFiles) rmSync(run.path(name), { force: true });
    const quarantine = openQuarantine(run.path('quarantine.jsonl'), {
      source: basename(file),
      append: resume,
    });
    const startedAt = new Date();
    const common = {
      allowHosts: r.allowHosts,
      multiply: r.multiply,
      concurrency: r.concurrency,
      settleTimeoutMs: r.settleTimeoutMs,
      speed: r.speed,
      resume,
      ...(signal ? { signal } : {}),
    };
    let lastShown = 0;
    const runs = [
      replay({
        ...common,
        label: 'candidate',
        target: urls.canary,
        records: probe,
        resultsFile: run.path(resultsFiles[0]!),
        onQuarantine: (record, info) => {
          if (!info.resumed) quarantine.write(record);
        },
        onProgress: (p) => {
          progress.replay?.(p);
          const sent = p.lines.read;
          if (sent - lastShown >= Math.max(100, r.orders / 4)) {
            lastShown = sent;
            progress(`replay: ${sent} lines read`);
          }
        },
      }),
      replay({
        ...common,
        label: 'baseline',
        target: urls.stable,
        records: readTraffic(file, { format: probe.format }),
        resultsFile: run.path(resultsFiles[1]!),
      }),
    ];
    if (r.secondBaseline)
      runs.push(
        replay({
          ...common,
          label: 'second-baseline',
          target: r.secondBaseline,
          records: readTraffic(file, { format: probe.format }),
          resultsFile: run.path(resultsFiles[2]!),
        }),
      );
    let results: Awaited<ReturnType<typeof replay>>[];
    try {
      results = await Promise.all(runs);
    } finally {
      quarantine.close();
    }
    const [candidate, baseline, second] = results as [
      (typeof results)[number],
      (typeof results)[number],
      (typeof results)[number] | undefined,
    ];
    progress.replay?.(candidate);
    const interrupted = results.some((x) => x.aborted);
    const diff = interrupted
      ? undefined
      : diffRuns(
          {
            baseline: baseline.states,
            candidate: candidate.states,
            ...(second ? { secondBaseline: second.states } : {}),
          },
          { budget: r.diffBudget },
        );
    if (diff) run.writeJson('diff.json', diff);
    const section = replaySection({
      candidate,
      baseline,
      ...(diff ? { diff } : {}),
      input: {
        file: r.traffic ? basename(file) : `generated day (${r.orders} orders, seed ${r.seed})`,
        format: probe.format,
      },
      startedAt,
      finishedAt: new Date(),
    });
    if (interrupted) {
      section.status = 'inconclusive';
      section.summary = 'Interrupted before the end: no verdict on the replay.';
    }
    return section;
  } finally {
    await own?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
