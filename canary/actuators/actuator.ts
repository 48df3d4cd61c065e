import { shipgateError } from '../../core/errors.ts';

/**
 * What the step controller moves traffic with. Every operation is idempotent at the
 * target (setting the same weight twice, promoting a promoted rollout, rolling back a
 * rolled-back one change nothing), which is what lets a resumed rollout re-issue an
 * action it journaled as `actuating` without knowing whether it landed.
 */
export type ActuatorPhase = 'stable' | 'progressing' | 'promoted' | 'rolled_back' | 'unknown';

export interface ActuatorState {
  /** Canary weight in percent, when the target reports it. */
  weight: number | null;
  phase: ActuatorPhase;
  /** A change counter, when the target has one (the sandbox router does). */
  revision?: number;
  /** Anything else worth journaling (no secrets). */
  detail?: string;
}

export type ActuatorOp = 'set-weight' | 'promote' | 'rollback' | 'state';

export interface Actuator {
  /** For journal and messages, e.g. "sandbox router http://127.0.0.1:4000" (never a token). */
  readonly name: string;
  setWeight(weight: number): Promise<ActuatorState>;
  promote(): Promise<ActuatorState>;
  rollback(): Promise<ActuatorState>;
  state(): Promise<ActuatorState>;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_ACTUATOR_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
});

/** An attempt that must not be repeated (e.g. 401: the token is wrong, retrying cannot help). */
export class PermanentActuatorError extends Error {}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries each operation with exponential backoff (full jitter), then fails LOUDLY
 * with SG_ACTUATOR_FAILED (exit 3). A rollback that did not happen must never be
 * reported as one: the caller journals the failure and stops.
 */
export function withRetries(
  actuator: Actuator,
  policy: Partial<RetryPolicy> = {},
  sleep: (ms: number) => Promise<void> = realSleep,
  random: () => number = Math.random,
): Actuator {
  const p = { ...DEFAULT_ACTUATOR_RETRY, ...policy };
  const run = async <T>(action: string, op: () => Promise<T>): Promise<T> => {
    let last: unknown;
    let attempt = 0;
    while (attempt < p.attempts) {
      attempt++;
      try {
        return await op();
      } catch (error) {
        last = error;
        if (error instanceof PermanentActuatorError) break;
        if (attempt < p.attempts) {
          const cap = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
          await sleep(cap / 2 + random() * (cap / 2));
        }
      }
    }
    throw shipgateError(
      'SG_ACTUATOR_FAILED',
      {
        action,
        actuator: actuator.name,
        attempts: attempt,
        reason: last instanceof Error ? last.message : String(last),
      },
      last,
    );
  };
  return {
    name: actuator.name,
    setWeight: (weight) => run(`set weight ${weight}%`, () => actuator.setWeight(weight)),
    promote: () => run('promote', () => actuator.promote()),
    rollback: () => run('rollback', () => actuator.rollback()),
    state: () => run('read state', () => actuator.state()),
  };
}
