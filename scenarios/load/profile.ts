import { HOURLY_SHARE_PERCENT } from '../generate/curve.ts';

/**
 * Load profiles: the arrival curve of orders over virtual time, as data. A profile is
 * an average day's volume shaped by the diurnal curve, scaled by a day multiplier
 * (peak day ×10), with bursts (Black Friday ×50 for two hours) and a rush before the
 * warehouse cutoff. The replay-based driver, the k6 export and the expectations all
 * read the same curve, so they cannot disagree about what "a peak day" is.
 */

/**
 * Orders per hour of day as a share of the day (%), from midnight: the one definition
 * lives with the traffic generator (scenarios/generate/curve.ts). The published figures
 * are rounded and sum to 99.8, so rates normalise by their sum: a whole day has exactly
 * ordersPerDay.
 */
export const DIURNAL_SHARES = HOURLY_SHARE_PERCENT;
const SHARE_SUM = DIURNAL_SHARES.reduce((a, b) => a + b, 0);

export interface Burst {
  /** Virtual hour of day the burst starts (may be fractional). */
  startHour: number;
  hours: number;
  multiplier: number;
}

export interface LoadProfile {
  /** Orders on an average day (before multipliers). */
  ordersPerDay: number;
  /** Whole-day multiplier: 10 for a peak day. */
  multiplier?: number;
  bursts?: Burst[];
  /** Extra orders before the cutoff: `hours` before `cutoffHour`, rate × `multiplier`. */
  cutoffRush?: { cutoffHour: number; hours: number; multiplier: number };
  /** The part of the day the scenario runs (virtual hours from midnight). */
  window: { startHour: number; hours: number };
}

/** Orders per virtual hour at hour-of-day `hour` (fractional hours allowed). */
export function ratePerHour(profile: LoadProfile, hour: number): number {
  const hourOfDay = ((hour % 24) + 24) % 24;
  const share = DIURNAL_SHARES[Math.floor(hourOfDay)]! / SHARE_SUM;
  let rate = profile.ordersPerDay * share * (profile.multiplier ?? 1);
  for (const burst of profile.bursts ?? []) {
    if (hourOfDay >= burst.startHour && hourOfDay < burst.startHour + burst.hours) rate *= burst.multiplier;
  }
  const rush = profile.cutoffRush;
  if (rush && hourOfDay >= rush.cutoffHour - rush.hours && hourOfDay < rush.cutoffHour)
    rate *= rush.multiplier;
  return rate;
}

/**
 * The profile as piecewise-constant segments (boundaries at whole hours, burst and
 * rush edges), each with its rate: what a scheduler or k6 stages need.
 */
export interface Segment {
  /** Virtual hours from the window's start. */
  fromHour: number;
  hours: number;
  ordersPerHour: number;
}

export function segments(profile: LoadProfile): Segment[] {
  const { startHour, hours } = profile.window;
  const cuts = new Set<number>([startHour, startHour + hours]);
  for (let h = Math.ceil(startHour); h < startHour + hours; h++) cuts.add(h);
  const edges = [
    ...(profile.bursts ?? []).flatMap((b) => [b.startHour, b.startHour + b.hours]),
    ...(profile.cutoffRush
      ? [profile.cutoffRush.cutoffHour - profile.cutoffRush.hours, profile.cutoffRush.cutoffHour]
      : []),
  ];
  for (const edge of edges) if (edge > startHour && edge < startHour + hours) cuts.add(edge);
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((from, i) => ({
    fromHour: from - startHour,
    hours: sorted[i + 1]! - from,
    ordersPerHour: ratePerHour(profile, from),
  }));
}

/** Expected number of orders in the window. */
export function expectedOrders(profile: LoadProfile): number {
  return segments(profile).reduce((sum, s) => sum + s.hours * s.ordersPerHour, 0);
}
