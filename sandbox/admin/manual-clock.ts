import { createClock, type VirtualClock } from '../clock/clock.ts';

export interface ManualClock extends VirtualClock {
  /** Moves virtual time forward by `ms` virtual milliseconds. */
  advance(ms: number): void;
  set(iso: string): void;
}

/** A virtual clock that moves only when told: for tests of virtual-time behaviour. */
export function manualClock(startIso = '2026-03-02T08:00:00.000Z'): ManualClock {
  let real = 0;
  const start = Date.parse(startIso);
  const clock = createClock({ realStartMs: 0, virtualStartMs: start, speed: 1 }, () => real);
  return Object.assign(clock, {
    advance: (ms: number) => {
      real += ms;
    },
    set: (iso: string) => {
      real = Date.parse(iso) - start;
    },
  });
}
