import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ReplayLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import { startWorld } from '../../../sandbox/launch/world.ts';
import { generateDay } from '../../../scenarios/generate/index.ts';
import { runReplayLayer } from '../../../scenarios/replay/run.ts';
import { writeTraffic } from '../../../scenarios/traffic/write.ts';
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
  const r = config.replay;
  if (r.mode === 'raw') {
    // A recording of the platform's own API: no order model, no sandbox world of its own.
    const { runRawReplay } = await import('./replay-raw.ts');
    return runRawReplay(config, target, run, progress, signal, after);
  }
  let tmp: string | undefined;
  let file = r.traffic;
  let own: { stop(): Promise<void> } | undefined;
  let urls = { canary: target.canary, stable: target.stable };
  try {
    if (target.kind === 'sandbox' && target.sandbox) {
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
      tmp = mkdtempSync(join(tmpdir(), 'shipgate-gate-traffic-'));
      file = await writeGeneratedDay(join(tmp, 'generated-day.jsonl'), r.orders, r.seed);
    }
    progress(
      `replay: ${r.traffic ? basename(file) : `a generated day of ${r.orders} orders`} at the candidate and the baseline`,
    );
    let lastShown = 0;
    const { section, candidate } = await runReplayLayer({
      file,
      inputName: r.traffic ? basename(file) : `generated day (${r.orders} orders, seed ${r.seed})`,
      candidate: urls.canary,
      baseline: urls.stable,
      platform: target.platform,
      ...(r.secondBaseline ? { secondBaseline: r.secondBaseline } : {}),
      folder: () => run,
      // After a kill, `resume` continues from the results files' intents; `rerun` and a
      // first run start them afresh.
      resume: after === 'resume',
      allowHosts: r.allowHosts,
      multiply: r.multiply,
      concurrency: r.concurrency,
      settleTimeoutMs: r.settleTimeoutMs,
      speed: r.speed,
      diffBudget: r.diffBudget,
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        progress.replay?.(p);
        const sent = p.lines.read;
        if (sent - lastShown >= Math.max(100, r.orders / 4)) {
          lastShown = sent;
          progress(`replay: ${sent} lines read`);
        }
      },
    });
    progress.replay?.(candidate);
    return section;
  } finally {
    await own?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

async function writeGeneratedDay(file: string, orders: number, seed: string): Promise<string> {
  const out = createWriteStream(file);
  await writeTraffic(generateDay({ orders, seed }), out, 'jsonl');
  out.end();
  await finished(out);
  return file;
}
