import { createHash } from 'node:crypto';
import type { Order } from '../../contracts/domain/order.ts';
import { Rng } from '../../core/prng.ts';
import { makeOrder } from '../generate/order.ts';
import { type LoadProfile, segments } from '../load/profile.ts';

/**
 * A scenario's orders, following its load profile exactly: each piecewise-constant
 * segment gets its expected count (× scale), rounded by largest remainder so the total
 * is exact, with arrival times uniform inside the segment. The order content (items,
 * region, service level, promise) comes from the traffic generator's makeOrder, so a
 * scenario's orders look like a generated day's. Deterministic from the seed.
 */
export interface ScenarioOrdersOptions {
  load: LoadProfile;
  seed?: string;
  /** YYYY-MM-DD (UTC) of the day the window lies in. Default 2026-11-27. */
  date?: string;
  /** Volume factor in (0, 1] (scaled-down runs); default 1. */
  scale?: number;
}

export const SCENARIO_DATE = '2026-11-27';
const HOUR_MS = 3_600_000;

/** Orders per segment: expected counts × scale, largest-remainder rounded. */
export function segmentCounts(load: LoadProfile, scale = 1): number[] {
  const expected = segments(load).map((s) => s.ordersPerHour * s.hours * scale);
  const counts = expected.map(Math.floor);
  let missing = Math.round(expected.reduce((a, b) => a + b, 0)) - counts.reduce((a, b) => a + b, 0);
  const order = expected
    .map((value, i) => [value - Math.floor(value), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (missing <= 0) break;
    counts[i]! += 1;
    missing -= 1;
  }
  return counts;
}

export function windowStartMs(load: LoadProfile, date = SCENARIO_DATE): number {
  return Date.parse(`${date}T00:00:00.000Z`) + load.window.startHour * HOUR_MS;
}

export function scenarioOrders(options: ScenarioOrdersOptions): Order[] {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  const seed = options.seed ?? 'shipgate';
  const date = options.date ?? SCENARIO_DATE;
  const rng = new Rng(`${seed}/scenario/${date}`);
  const tag = createHash('sha256').update(seed).digest('hex').slice(0, 4);
  const start = windowStartMs(options.load, date);
  const parts = segments(options.load);
  const counts = segmentCounts(options.load, scale);
  const orders: Order[] = [];
  parts.forEach((segment, i) => {
    const count = counts[i]!;
    const from = start + segment.fromHour * HOUR_MS;
    const span = segment.hours * HOUR_MS;
    const times = Array.from({ length: count }, () => from + Math.floor(rng.next() * span)).sort(
      (a, b) => a - b,
    );
    for (const at of times) {
      const id = `s-${tag}-${String(orders.length + 1).padStart(7, '0')}`;
      orders.push(makeOrder(rng, id, new Date(at)));
    }
  });
  return orders;
}
