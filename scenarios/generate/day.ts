import { createHash } from 'node:crypto';
import type { Order } from '../../contracts/domain/order.ts';
import { Rng } from '../../core/prng.ts';
import { hourlyCounts, PROFILES, type ProfileName } from './curve.ts';
import { makeOrder } from './order.ts';
import { CUTOFF_MINUTE } from './promise.ts';

export interface GenerateOptions {
  profile?: ProfileName;
  /** Orders on a normal day; profiles multiply it (peak: ×10). Default 650. */
  orders?: number;
  seed?: string | number;
  /** YYYY-MM-DD (UTC). Default 2026-11-27. */
  date?: string;
  /**
   * Share of records whose createdAt lags their place in the file by 30 s–20 min, as
   * in real logs where a slow writer or a retry logs an order late. Default 0.
   */
  outOfOrder?: number;
  /** Warehouse cutoff (minutes after midnight UTC); orders rush in the 20 minutes before it. */
  cutoffMinute?: number;
}

export const DEFAULT_BASE_ORDERS = 650;
export const DEFAULT_DATE = '2026-11-27';
/** In the hour before the cutoff, this share of its orders arrives in its last RUSH_MINUTES. */
export const RUSH_SHARE = 0.4;
export const RUSH_MINUTES = 20;

export interface DayPlan {
  profile: ProfileName;
  date: string;
  seed: string;
  hourly: number[];
  total: number;
}

export function planDay(options: GenerateOptions = {}): DayPlan {
  const profile = options.profile ?? 'normal';
  const base = options.orders ?? DEFAULT_BASE_ORDERS;
  if (!Number.isInteger(base) || base < 1)
    throw new RangeError(`orders must be a positive integer, got ${base}`);
  const date = options.date ?? DEFAULT_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new RangeError(`date must be YYYY-MM-DD, got ${date}`);
  }
  const hourly = hourlyCounts(base, PROFILES[profile]);
  return {
    profile,
    date,
    seed: String(options.seed ?? 'shipgate'),
    hourly,
    total: hourly.reduce((a, b) => a + b, 0),
  };
}

/**
 * A day of orders, generated lazily in arrival order: memory stays constant however
 * many orders the day holds. Deterministic: the same options give the same orders.
 * Hourly volumes follow the design's diurnal curve (hourlyCounts); inside an hour,
 * arrival times are uniform except before the warehouse cutoff, where RUSH_SHARE of
 * the hour crowds into its last RUSH_MINUTES.
 */
export function* generateDay(options: GenerateOptions = {}): Generator<Order> {
  const plan = planDay(options);
  const rng = new Rng(`${plan.seed}/${plan.profile}/${plan.date}`);
  const dayStart = Date.parse(`${plan.date}T00:00:00Z`);
  const tag = createHash('sha256').update(plan.seed).digest('hex').slice(0, 4);
  const compactDate = plan.date.replaceAll('-', '');
  const cutoff = options.cutoffMinute ?? CUTOFF_MINUTE;
  const outOfOrder = options.outOfOrder ?? 0;
  let seq = 0;
  for (let hour = 0; hour < 24; hour++) {
    const count = plan.hourly[hour]!;
    const rushHour = cutoff % 60 === 0 && hour === cutoff / 60 - 1;
    let u = 0;
    for (let i = 0; i < count; i++) {
      // The next of `count - i` sorted uniforms on [u, 1): order statistics drawn one
      // at a time, so an hour's arrivals come out sorted without holding them.
      u += (1 - u) * (1 - rng.next() ** (1 / (count - i)));
      const fraction = rushHour ? rushQuantile(u) : u;
      let at = dayStart + hour * 3_600_000 + Math.floor(fraction * 3_600_000);
      if (outOfOrder > 0 && rng.chance(outOfOrder)) at -= rng.int(30_000, 1_200_000);
      seq += 1;
      yield makeOrder(rng, `o-${tag}-${compactDate}-${String(seq).padStart(7, '0')}`, new Date(at));
    }
  }
}

/** Inverse CDF of the rush hour's arrival density: (1−r)·U[0,1) + r·U[1−w,1). Monotone, so sorted stays sorted. */
function rushQuantile(p: number): number {
  const r = RUSH_SHARE;
  const w = RUSH_MINUTES / 60;
  const knee = (1 - r) * (1 - w);
  return p < knee ? p / (1 - r) : (p + (r * (1 - w)) / w) / (1 - r + r / w);
}
