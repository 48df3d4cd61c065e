import { describe, expect, it } from 'vitest';
import { createClock, decodeAnchor, encodeAnchor } from './clock.ts';

describe('virtual clock', () => {
  it('runs speed times faster than the real clock from its anchor', () => {
    let real = 1_000;
    const clock = createClock({ realStartMs: 1_000, virtualStartMs: 0, speed: 60 }, () => real);
    expect(clock.now()).toBe(0);
    real += 1_000;
    expect(clock.now()).toBe(60_000);
    expect(clock.realDelayUntil(120_000)).toBe(1_000);
    expect(clock.realDelayUntil(0)).toBe(0);
  });

  it('agrees across processes given the same anchor', () => {
    const anchor = { realStartMs: 5, virtualStartMs: 1e12, speed: 1440 };
    const a = createClock(anchor, () => 10);
    const b = createClock(decodeAnchor(encodeAnchor(anchor)), () => 10);
    expect(a.now()).toBe(b.now());
  });

  it('refuses a speed that is not positive', () => {
    expect(() => createClock({ realStartMs: 0, virtualStartMs: 0, speed: 0 })).toThrow(/positive/);
  });
});
