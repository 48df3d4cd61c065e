/**
 * Simulated time. Parcels take days to arrive; a test run takes seconds. The platform
 * runs on a clock that advances `timeScale` simulated seconds per real second from a
 * start instant, so a two-day promise is kept (or broken) inside a run.
 */
export interface SimClock {
  /** Simulated milliseconds since the epoch. */
  now(): number;
  readonly timeScale: number;
}

export function simClock(timeScale: number, startAt: number = Date.now()): SimClock {
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  }
  // performance.now() is monotonic: a wall-clock step must not move parcels backwards.
  const realOrigin = performance.now();
  return {
    timeScale,
    now: () => startAt + (performance.now() - realOrigin) * timeScale,
  };
}
