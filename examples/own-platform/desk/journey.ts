import type { CarrierCode } from './zones.ts';

/**
 * A parcel's journey through simulated time, as pure functions: accepted at the desk,
 * packed two hours later, handed over to the carrier after six, delivered on the
 * promised date (or, when late, the day after). The state is read from the clock, so no
 * timer has to move parcels along.
 */
export const STATES = ['accepted', 'packed', 'handed-over', 'delivered'] as const;
export type ParcelState = (typeof STATES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PACKED_AFTER = 2 * HOUR;
const HANDED_OVER_AFTER = 6 * HOUR;

export interface Journey {
  acceptedAt: number;
  packedAt: number;
  handedOverAt: number;
  deliveredAt: number;
  /** ISO date (YYYY-MM-DD, UTC) by which the parcel is promised. */
  promisedOn: string;
  late: boolean;
}

/**
 * `draw` is the parcel's own uniform number: below `lateShare` it arrives late. On time
 * means between 10:00 and 16:00 UTC on the promised date (always after the hand-over:
 * the earliest promise is the next day); late means 12:00 the day after.
 */
export function planJourney(
  acceptedAt: number,
  transitDays: number,
  lateShare: number,
  draw: number,
): Journey {
  const promisedMidnight = Math.floor(acceptedAt / DAY) * DAY + transitDays * DAY;
  const late = draw < lateShare;
  const deliveredAt = late
    ? promisedMidnight + DAY + 12 * HOUR
    : promisedMidnight + 10 * HOUR + draw * 6 * HOUR;
  return {
    acceptedAt,
    packedAt: acceptedAt + PACKED_AFTER,
    handedOverAt: acceptedAt + HANDED_OVER_AFTER,
    deliveredAt: Math.round(deliveredAt),
    promisedOn: new Date(promisedMidnight).toISOString().slice(0, 10),
    late,
  };
}

export function stateAt(journey: Journey, now: number): ParcelState {
  if (now >= journey.deliveredAt) return 'delivered';
  if (now >= journey.handedOverAt) return 'handed-over';
  if (now >= journey.packedAt) return 'packed';
  return 'accepted';
}

/** The steps reached so far, each with its simulated time. */
export function historyAt(journey: Journey, now: number): { state: ParcelState; at: string }[] {
  const steps: [ParcelState, number][] = [
    ['accepted', journey.acceptedAt],
    ['packed', journey.packedAt],
    ['handed-over', journey.handedOverAt],
    ['delivered', journey.deliveredAt],
  ];
  return steps
    .filter(([, at]) => at <= now)
    .map(([state, at]) => ({ state, at: new Date(at).toISOString() }));
}

/** One accepted fulfilment request, as the desk keeps it. */
export interface Parcel {
  ticket: string;
  clientRef: string;
  /** The build that took it: its metrics count the delivery. */
  track: string;
  zone: string;
  area: string;
  speed: string;
  carrier: CarrierCode;
  consignmentNo: string | null;
  journey: Journey;
}
