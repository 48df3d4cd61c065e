import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { simClock } from './clock.ts';
import { dice, drawFor } from './dice.ts';

describe('simClock', () => {
  it('advances timeScale simulated seconds per real second from its start', async () => {
    const start = Date.parse('2027-03-01T08:00:00Z');
    const clock = simClock(3600, start);
    expect(clock.now() - start).toBeLessThan(3600 * 50);
    await sleep(100);
    // 100 ms real at 3600x is 6 simulated minutes; allow a slow machine to overshoot.
    const advanced = clock.now() - start;
    expect(advanced).toBeGreaterThanOrEqual(3600 * 95);
    expect(advanced).toBeLessThan(3600 * 5000);
  });

  it('refuses a scale that is not a positive number', () => {
    expect(() => simClock(0)).toThrow(/timeScale/);
    expect(() => simClock(Number.NaN)).toThrow(/timeScale/);
  });
});

describe('dice', () => {
  it('repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const a = dice(7);
    const b = dice(7);
    const c = dice(8);
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(Array.from({ length: 1000 }, c)).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = first.reduce((s, x) => s + x, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('draws per key the same number every time', () => {
    expect(drawFor(1, 'ref-1')).toBe(drawFor(1, 'ref-1'));
    expect(drawFor(1, 'ref-1')).not.toBe(drawFor(1, 'ref-2'));
  });
});
