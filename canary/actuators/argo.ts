import { execa } from 'execa';
import type { Actuator, ActuatorState } from './actuator.ts';

/**
 * Argo Rollouts through its kubectl plugin. The plugin has no "set weight" command:
 * weights live in the Rollout's `setWeight` steps, each followed by an indefinite
 * `pause: {}` that shipgate releases. So:
 * - set weight → `kubectl argo rollouts promote ROLLOUT` (release the current pause:
 *   Argo moves to the next `setWeight`; shipgate's steps must mirror the Rollout's,
 *   see examples/kubernetes/rollout.yaml). The first step is Argo's own first weight,
 *   so setting it finds the weight already there and does nothing (the current
 *   weight is read first with `kubectl get rollout -o jsonpath=...`, which also makes
 *   a repeated call harmless);
 * - promote → `promote --full` (skip the remaining steps, make the canary stable);
 * - rollback → `abort` (traffic back to stable, the rollout marked degraded);
 * - state → `status --timeout 1s`.
 * Repeating promote-full or abort changes nothing on Argo's side. The binary is found
 * on PATH (tests put a fake `kubectl` first on PATH).
 */
export interface ArgoActuatorOptions {
  rollout: string;
  namespace?: string;
  /** Default `kubectl`. */
  kubectl?: string;
  /** Extra global flags, e.g. ['--context', 'prod']. */
  flags?: readonly string[];
  timeoutMs?: number;
  env?: Record<string, string>;
}

export function argoActuator(options: ArgoActuatorOptions): Actuator {
  const bin = options.kubectl ?? 'kubectl';
  const ns = options.namespace ? ['-n', options.namespace] : [];
  const run = async (args: string[]): Promise<string> => {
    const result = await execa(
      bin,
      ['argo', 'rollouts', ...args, options.rollout, ...ns, ...(options.flags ?? [])],
      {
        timeout: options.timeoutMs ?? 30_000,
        reject: false,
        env: options.env,
      },
    );
    if (result.failed) {
      const why = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? '?'}`;
      throw new Error(
        `${bin} argo rollouts ${args.join(' ')} ${why}: ${String(result.stderr || result.stdout).slice(0, 300)}`,
      );
    }
    return String(result.stdout);
  };
  const currentWeight = async (): Promise<number | null> => {
    const result = await execa(
      bin,
      [
        'get',
        'rollout',
        options.rollout,
        ...ns,
        ...(options.flags ?? []),
        '-o',
        'jsonpath={.status.canary.weights.canary.weight}',
      ],
      { timeout: options.timeoutMs ?? 30_000, reject: false, env: options.env },
    );
    if (result.failed)
      throw new Error(`${bin} get rollout ${options.rollout} failed: ${String(result.stderr).slice(0, 300)}`);
    const n = Number(String(result.stdout).trim());
    return String(result.stdout).trim() === '' || !Number.isFinite(n) ? null : n;
  };
  const status = async (): Promise<ActuatorState> => {
    const out = (await run(['status', '--timeout', '1s'])).trim();
    // `status` prints Healthy / Progressing / Paused / Degraded.
    const phase: ActuatorState['phase'] = /degraded|abort/i.test(out)
      ? 'rolled_back'
      : /healthy/i.test(out)
        ? 'promoted'
        : /progressing|paused/i.test(out)
          ? 'progressing'
          : 'unknown';
    return { weight: null, phase, detail: out.slice(0, 200) };
  };
  return {
    name: `argo rollouts ${options.namespace ? `${options.namespace}/` : ''}${options.rollout}`,
    setWeight: async (weight) => {
      // Idempotent: release the pause only while Argo is below the wanted weight, so a
      // resumed rollout re-issuing this call cannot skip a step.
      const current = await currentWeight();
      if (current !== null && current >= weight) return { weight: current, phase: 'progressing' };
      await run(['promote']);
      return { weight, phase: 'progressing' };
    },
    promote: async () => {
      await run(['promote', '--full']);
      return { weight: 100, phase: 'promoted' };
    },
    rollback: async () => {
      await run(['abort']);
      return { weight: 0, phase: 'rolled_back' };
    },
    state: status,
  };
}
