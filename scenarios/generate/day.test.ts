import { describe, expect, it } from 'vitest';
import { Order, REGIONS } from '../../contracts/domain/order.ts';
import { validator } from '../../core/schema/validate.ts';
import { HOURLY_SHARE, hourlyCounts, PROFILES } from './curve.ts';
import { generateDay, planDay } from './day.ts';
import { promiseFor } from './promise.ts';

const validate = validator(Order);
const hourOf = (order: Order) => new Date(order.createdAt).getUTCHours();

describe('generateDay', () => {
  it('is deterministic from its seed', () => {
    const a = [...generateDay({ seed: 7, orders: 200 })];
    const b = [...generateDay({ seed: 7, orders: 200 })];
    const c = [...generateDay({ seed: 8, orders: 200 })];
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('makes a normal day of 650 valid, unique, time-ordered orders across all regions', () => {
    const orders = [...generateDay({ seed: 'mix' })];
    expect(orders).toHaveLength(650);
    for (const order of orders) {
      const result = validate(order);
      if (!result.ok) throw new Error(`${order.id}: ${JSON.stringify(result.issues)}`);
      expect(Number(order.destination.postcode[0])).toBe(REGIONS.indexOf(order.destination.region) + 1);
      expect(order.promisedBy).toBe(
        promiseFor(new Date(order.createdAt), order.serviceLevel, order.destination.region).toISOString(),
      );
    }
    expect(new Set(orders.map((o) => o.id)).size).toBe(650);
    const times = orders.map((o) => Date.parse(o.createdAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(new Set(orders.map((o) => o.destination.region))).toEqual(new Set(REGIONS));
  });

  it('follows the diurnal curve (chi-square against the design shares)', () => {
    const orders = [...generateDay({ seed: 'curve', profile: 'peak', orders: 650 })];
    const observed = Array.from({ length: 24 }, () => 0);
    for (const order of orders) observed[hourOf(order)]! += 1;
    const chiSquare = observed.reduce((sum, count, hour) => {
      const expected = orders.length * HOURLY_SHARE[hour]!;
      return sum + (count - expected) ** 2 / expected;
    }, 0);
    // Critical value of chi-square with 23 degrees of freedom at p = 0.01.
    expect(chiSquare).toBeLessThan(41.64);
    expect(observed[13]! / orders.length).toBeCloseTo(0.072, 2);
    expect(observed[4]! / orders.length).toBeCloseTo(0.002, 2);
  });

  it('rushes orders into the 20 minutes before the 16:00 cutoff', () => {
    const orders = [...generateDay({ seed: 'rush', profile: 'peak' })].filter((o) => hourOf(o) === 15);
    const minute = (o: Order) => new Date(o.createdAt).getUTCMinutes();
    const early = orders.filter((o) => minute(o) < 20).length;
    const late = orders.filter((o) => minute(o) >= 40).length;
    expect(late / early).toBeGreaterThan(2);
  });

  it('scales by profile: peak ×10, Black Friday ×7 with a ×50 two-hour burst', () => {
    expect(planDay({ orders: 650 }).total).toBe(650);
    expect(planDay({ orders: 650, profile: 'peak' }).total).toBe(6500);
    const bf = planDay({ orders: 650, profile: 'black-friday' });
    expect(bf.hourly[20]).toBe(Math.round(650 * 50 * HOURLY_SHARE[20]!));
    expect(bf.hourly[10]! / planDay({ orders: 650 }).hourly[10]!).toBeCloseTo(7, 0);
    for (const profile of Object.values(PROFILES)) {
      const counts = hourlyCounts(1000, profile);
      for (const [hour, count] of counts.entries()) {
        const expected = 1000 * HOURLY_SHARE[hour]! * profile.hourMultiplier[hour]!;
        expect(Math.abs(count - expected)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('has realistic mixes: mostly standard, ~3% VIP, heavy-tailed values', () => {
    const orders = [...generateDay({ seed: 'mix', profile: 'peak' })];
    const share = (test: (o: Order) => boolean) => orders.filter(test).length / orders.length;
    expect(share((o) => o.serviceLevel === 'standard')).toBeGreaterThan(0.6);
    expect(share((o) => o.serviceLevel === 'express')).toBeGreaterThan(0.15);
    expect(share((o) => o.serviceLevel === 'economy')).toBeGreaterThan(0.05);
    expect(share((o) => o.customer.vip === true)).toBeGreaterThan(0.02);
    expect(share((o) => o.customer.vip === true)).toBeLessThan(0.04);
    const values = orders.map((o) => o.value).sort((a, b) => a - b);
    const median = values[Math.floor(values.length / 2)]!;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(median * 1.3);
    expect(values[values.length - 1]!).toBeGreaterThan(median * 10);
    expect(orders.some((o) => /\p{Script=Cyrillic}/u.test(o.customer.name))).toBe(true);
    expect(orders.some((o) => /\p{Script=Han}/u.test(o.customer.name))).toBe(true);
  });

  it('puts a requested share of records out of time order', () => {
    const orders = [...generateDay({ seed: 'ooo', orders: 2000, outOfOrder: 0.03 })];
    let outOfOrder = 0;
    let latest = 0;
    for (const order of orders) {
      const t = Date.parse(order.createdAt);
      if (t < latest) outOfOrder += 1;
      latest = Math.max(latest, t);
    }
    expect(outOfOrder / orders.length).toBeGreaterThan(0.015);
    expect(outOfOrder / orders.length).toBeLessThan(0.05);
  });

  it('is lazy: the first orders of a million-order day come at once', () => {
    const day = generateDay({ orders: 1_000_000 });
    const first = day.next();
    expect(first.done).toBe(false);
    day.return(undefined);
  });
});
