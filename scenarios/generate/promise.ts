import type { Region, ServiceLevel } from '../../contracts/domain/order.ts';

/**
 * The delivery promise a checkout makes: dispatch at the next warehouse cutoff (16:00
 * UTC, as the sandbox's dispatch schedule), then transit days by service level plus a
 * distance surcharge by region, delivered by the end of that day (20:00 UTC).
 */
export const CUTOFF_MINUTE = 16 * 60;
const DAY_MS = 86_400_000;
const DELIVERY_END_MINUTE = 20 * 60;

export const TRANSIT_DAYS: Record<ServiceLevel, number> = { express: 1, standard: 2, economy: 4 };
/** Days added for distance from the central warehouse. */
export const REGION_EXTRA_DAYS: Record<Region, number> = {
  C: 0,
  N: 1,
  NE: 2,
  E: 1,
  SE: 1,
  S: 1,
  SW: 2,
  W: 1,
  NW: 1,
};

export function promiseFor(
  createdAt: Date,
  serviceLevel: ServiceLevel,
  region: Region,
  cutoffMinute = CUTOFF_MINUTE,
): Date {
  const t = createdAt.getTime();
  const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
  const dispatchDay = t <= dayStart + cutoffMinute * 60_000 ? dayStart : dayStart + DAY_MS;
  const extra =
    serviceLevel === 'express' ? Math.max(0, REGION_EXTRA_DAYS[region] - 1) : REGION_EXTRA_DAYS[region];
  return new Date(dispatchDay + (TRANSIT_DAYS[serviceLevel] + extra) * DAY_MS + DELIVERY_END_MINUTE * 60_000);
}
