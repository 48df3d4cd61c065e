import { describe, expect, it } from 'vitest';
import { DIURNAL_SHARES, expectedOrders, ratePerHour, segments } from './profile.ts';

describe('load profiles', () => {
  it('a whole average day has exactly ordersPerDay orders', () => {
    expect(DIURNAL_SHARES.reduce((a, b) => a + b, 0)).toBeCloseTo(99.8, 6);
    expect(expectedOrders({ ordersPerDay: 600, window: { startHour: 0, hours: 24 } })).toBeCloseTo(600, 6);
  });

  it('a peak day is ten times a normal one, hour by hour', () => {
    for (let h = 0; h < 24; h++) {
      expect(
        ratePerHour({ ordersPerDay: 600, multiplier: 10, window: { startHour: 0, hours: 24 } }, h),
      ).toBeCloseTo(10 * ratePerHour({ ordersPerDay: 600, window: { startHour: 0, hours: 24 } }, h));
    }
  });

  it('cuts segments at burst edges and applies the burst only inside it', () => {
    const profile = {
      ordersPerDay: 600,
      bursts: [{ startHour: 10.5, hours: 2, multiplier: 50 }],
      window: { startHour: 10, hours: 4 },
    };
    const parts = segments(profile);
    expect(parts.map((s) => s.fromHour)).toEqual([0, 0.5, 1, 2, 2.5, 3]);
    expect(parts[0]!.ordersPerHour).toBeCloseTo(600 * (6.4 / 99.8));
    expect(parts[1]!.ordersPerHour).toBeCloseTo(600 * (6.4 / 99.8) * 50);
    expect(parts[4]!.ordersPerHour).toBeCloseTo(600 * (5.5 / 99.8));
    expect(parts.reduce((s, p) => s + p.hours, 0)).toBe(4);
  });
});
