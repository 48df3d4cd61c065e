/**
 * The sandbox's virtual clock: virtual time runs `speed` times faster than real time
 * from a shared anchor, so transit days, cutoffs and deliveries happen inside a run.
 *
 * It is defined by its anchor alone (no ticking state), so separate processes given
 * the same anchor agree on "now" without talking to each other.
 */
export interface ClockAnchor {
  /** Real epoch milliseconds at which virtual time was `virtualStartMs`. */
  realStartMs: number;
  virtualStartMs: number;
  /** Virtual seconds per real second; 60 means one real second is one virtual minute. */
  speed: number;
}

export interface VirtualClock {
  readonly anchor: ClockAnchor;
  readonly speed: number;
  /** Virtual epoch milliseconds. */
  now(): number;
  nowIso(): string;
  /** Real milliseconds until the virtual instant `virtualMs` (0 if it has passed). */
  realDelayUntil(virtualMs: number): number;
  /** Virtual milliseconds that pass during `realMs` real milliseconds. */
  toVirtualMs(realMs: number): number;
}

export const DEFAULT_SPEED = 60;

export function createClock(anchor: ClockAnchor, realNow: () => number = Date.now): VirtualClock {
  if (!(anchor.speed > 0) || !Number.isFinite(anchor.speed)) {
    throw new RangeError(`clock speed must be a positive number, got ${anchor.speed}`);
  }
  const now = () => anchor.virtualStartMs + (realNow() - anchor.realStartMs) * anchor.speed;
  return {
    anchor,
    speed: anchor.speed,
    now,
    nowIso: () => new Date(now()).toISOString(),
    realDelayUntil: (virtualMs) => Math.max(0, (virtualMs - now()) / anchor.speed),
    toVirtualMs: (realMs) => realMs * anchor.speed,
  };
}

/**
 * A clock starting now, at the given virtual instant (default: today 08:00 UTC, the
 * start of a working day, so a short demo sees the morning rise and the afternoon cutoff).
 */
export function startClock(options: { speed?: number; virtualStart?: Date | string } = {}): VirtualClock {
  const realStartMs = Date.now();
  const virtualStart = options.virtualStart
    ? new Date(options.virtualStart)
    : defaultVirtualStart(realStartMs);
  return createClock({
    realStartMs,
    virtualStartMs: virtualStart.getTime(),
    speed: options.speed ?? DEFAULT_SPEED,
  });
}

function defaultVirtualStart(realMs: number): Date {
  const day = new Date(realMs);
  day.setUTCHours(8, 0, 0, 0);
  return day;
}

/** Serialised for child processes (environment variable SHIPGATE_CLOCK). */
export function encodeAnchor(anchor: ClockAnchor): string {
  return JSON.stringify(anchor);
}

export function decodeAnchor(text: string): ClockAnchor {
  const value = JSON.parse(text) as Partial<ClockAnchor>;
  if (
    typeof value.realStartMs !== 'number' ||
    typeof value.virtualStartMs !== 'number' ||
    typeof value.speed !== 'number'
  ) {
    throw new Error(`not a clock anchor: ${text}`);
  }
  return { realStartMs: value.realStartMs, virtualStartMs: value.virtualStartMs, speed: value.speed };
}
