/**
 * Orders per hour of day as a share of the day (%), from a public marketplace's real
 * order records (DESIGN.md, "Realistic traffic"), midnight first. Sums to ~100.
 */
export const HOURLY_SHARE_PERCENT = [
  2.2, 1.1, 0.6, 0.3, 0.2, 0.3, 0.5, 1.0, 3.2, 4.7, 6.4, 7.1, 5.5, 7.2, 6.6, 5.9, 6.6, 6.3, 5.7, 6.0, 6.2,
  6.2, 5.6, 4.4,
] as const;

const total = HOURLY_SHARE_PERCENT.reduce((sum, share) => sum + share, 0);
/** The same curve normalised to sum to exactly 1. */
export const HOURLY_SHARE: readonly number[] = HOURLY_SHARE_PERCENT.map((share) => share / total);

export type ProfileName = 'normal' | 'peak' | 'black-friday';
export const PROFILE_NAMES: readonly ProfileName[] = ['normal', 'peak', 'black-friday'];

export interface Profile {
  name: ProfileName;
  description: string;
  /** Volume of each hour relative to the same hour of a normal day. */
  hourMultiplier: readonly number[];
}

const flat = (value: number) => Array.from({ length: 24 }, () => value);

/** Black Friday: the design's ~7× day, with the two-hour evening deal drop at ×50. */
export const BLACK_FRIDAY_BURST_HOURS = [20, 21] as const;

export const PROFILES: Record<ProfileName, Profile> = {
  normal: { name: 'normal', description: 'an ordinary day', hourMultiplier: flat(1) },
  peak: { name: 'peak', description: 'a peak day: ×10 every hour', hourMultiplier: flat(10) },
  'black-friday': {
    name: 'black-friday',
    description: `Black Friday: ×7 all day, ×50 from ${BLACK_FRIDAY_BURST_HOURS[0]}:00 for two hours`,
    hourMultiplier: flat(7).map((m, hour) =>
      (BLACK_FRIDAY_BURST_HOURS as readonly number[]).includes(hour) ? 50 : m,
    ),
  },
};

/**
 * Orders per hour for a day whose normal-day volume is `baseOrders`: the expected
 * count of each hour (share × multiplier), rounded by largest remainder so the day's
 * total is exact and each hour is within one order of its expectation. Exact rather
 * than sampled (multinomial) so benchmarks and tests see the same shape on every seed.
 */
export function hourlyCounts(baseOrders: number, profile: Profile): number[] {
  const expected = HOURLY_SHARE.map((share, hour) => baseOrders * share * profile.hourMultiplier[hour]!);
  const target = Math.round(expected.reduce((sum, value) => sum + value, 0));
  const counts = expected.map(Math.floor);
  let missing = target - counts.reduce((sum, value) => sum + value, 0);
  const byRemainder = expected
    .map((value, hour) => [value - Math.floor(value), hour] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, hour] of byRemainder) {
    if (missing <= 0) break;
    counts[hour]! += 1;
    missing -= 1;
  }
  return counts;
}
