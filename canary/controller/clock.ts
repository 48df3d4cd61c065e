/**
 * The controller's time, injected: `now` and `sleep` on one timeline. Against the
 * sandbox that is the virtual clock (a step's "5 minutes" are 5 virtual minutes, so
 * 5 s of real time at 60×); in production it is the wall clock; in tests a manual
 * clock whose sleep just moves time forward, so a four-hour rollout runs in
 * milliseconds.
 */
export interface RolloutClock {
  readonly kind: 'wall' | 'virtual';
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const wallClock: RolloutClock = { kind: 'wall', now: () => Date.now(), sleep: realSleep };

/** A virtual clock running `speed` times faster than real time (the sandbox's). */
export function virtualRolloutClock(clock: { now(): number; speed: number }): RolloutClock {
  return {
    kind: 'virtual',
    now: () => clock.now(),
    sleep: (ms, signal) => realSleep(ms / clock.speed, signal),
  };
}

/** For tests: time moves only when the controller sleeps (or the test says so). */
export function manualClock(start = 0): RolloutClock & { advance(ms: number): void } {
  let t = start;
  return {
    kind: 'virtual',
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
