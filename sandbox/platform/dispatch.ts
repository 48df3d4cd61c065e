/**
 * The warehouse's dispatch schedule, in virtual time: parcels leave once a day at the
 * cutoff (16:00 UTC by default). An order ready by the cutoff leaves that day; one ready
 * after it waits for the next day's. An order that *arrived* before a cutoff but was
 * not ready until after it "missed the cutoff": the platform's own slowness cost the
 * customer a day, which is the leading indicator of late deliveries.
 */
const DAY_MS = 86_400_000;

export interface DispatchSchedule {
  /** Minutes after midnight UTC at which the day's parcels leave. */
  cutoffMinute: number;
}

export const DEFAULT_SCHEDULE: DispatchSchedule = { cutoffMinute: 16 * 60 };

/** The first cutoff at or after `t` (virtual epoch ms). */
export function nextCutoff(t: number, schedule: DispatchSchedule = DEFAULT_SCHEDULE): number {
  const cutoffToday = Math.floor(t / DAY_MS) * DAY_MS + schedule.cutoffMinute * 60_000;
  return t <= cutoffToday ? cutoffToday : cutoffToday + DAY_MS;
}

/** The parcel leaves later than the first cutoff after the order arrived: the platform cost the customer a day. */
export function cutoffMissed(
  acceptedAt: number,
  dispatchAt: number,
  schedule: DispatchSchedule = DEFAULT_SCHEDULE,
): boolean {
  return dispatchAt > nextCutoff(acceptedAt, schedule);
}

export const DAYS = (n: number) => n * DAY_MS;
