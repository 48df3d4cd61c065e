import { basename } from 'node:path';
import type { ReplayLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import { runRawReplayLayer } from '../../../scenarios/raw/run.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import type { GateProgress } from '../progress.ts';

/**
 * The replay layer with `replay.mode: 'raw'`: the recording in `replay.traffic` (HAR or
 * GoReplay) replayed as recorded to the candidate (`target.canary`) and the baseline
 * (`target.stable`), and a second baseline when configured, answers diffed field by
 * field (scenarios/raw). Headers from `replay.headers` are read from the environment
 * now. The target is handed in running; nothing is started here.
 */
export async function runRawReplay(
  config: ResolvedConfig,
  target: Pick<GateTarget, 'canary' | 'stable'>,
  run: RunFolder,
  progress: GateProgress,
  signal?: AbortSignal,
  after?: 'resume' | 'rerun' | 'run' | 'restore',
): Promise<ReplayLayer> {
  const r = config.replay;
  const file = r.traffic!; // the config loader refuses mode raw without a recording
  progress(`replay: ${basename(file)} raw, as recorded, at the candidate and the baseline`);
  const { section } = await runRawReplayLayer({
    file,
    candidate: target.canary,
    baseline: target.stable,
    ...(r.secondBaseline ? { secondBaseline: r.secondBaseline } : {}),
    folder: () => run,
    resume: after === 'resume',
    allowHosts: r.allowHosts,
    headers: r.headers,
    headersKey: 'replay.headers',
    endpoints: r.endpoints,
    speed: r.speed,
    concurrency: r.concurrency,
    diffBudget: r.diffBudget,
    ...(signal ? { signal } : {}),
  });
  progress(`replay: ${section.summary}`);
  return section;
}
