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

/** A createdAt older than this at acceptance was not moved onto the platform's clock. */
export const STALE_CREATED_AT_MS = DAY_MS;

/**
 * The virtual instant the platform decides an order at — which cutoff it makes, the
 * ship date rate shopping quotes for — taken from the order, not from when processing
 * reached it. Deciding at "now during processing" made the decision depend on the host:
 * under CPU load a timer fires late, at 1440× half a real second is 12 virtual minutes,
 * and an order placed just before the cutoff left a day later in one build of an A/A
 * replay and not in the other. The order's own `createdAt` is the same in both builds
 * (the replayer shifts it onto the target's clock); an order whose createdAt is more
 * than a day older than its acceptance was not shifted, and is decided at acceptance.
 */
export function decisionTime(createdAt: string, acceptedAt: number): number {
  const created = Date.parse(createdAt);
  return Number.isFinite(created) && created >= acceptedAt - STALE_CREATED_AT_MS ? created : acceptedAt;
}
