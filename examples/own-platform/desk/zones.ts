/**
 * Where a parcel goes and who takes it. A postcode is two letters, a dash and three
 * digits ("CQ-118"); the first letter is the delivery zone, the two letters the area.
 * Metro parcels go with the in-house fleet, everything else with Gullwing (the external
 * carrier, booked through its API).
 */
export const POSTCODE_PATTERN = '^[MCVH][A-Z]-[0-9]{3}$';

export const ZONES = { M: 'metro', C: 'coast', V: 'valley', H: 'highlands' } as const;
export type Zone = (typeof ZONES)[keyof typeof ZONES];

export const SPEEDS = ['next-day', 'two-day', 'saver'] as const;
export type Speed = (typeof SPEEDS)[number];

export type CarrierCode = 'homefleet' | 'gullwing';

export interface Destination {
  zone: Zone;
  /** The postcode's two letters. */
  area: string;
}

export function destinationOf(postcode: string): Destination {
  const letter = postcode.charAt(0) as keyof typeof ZONES;
  const zone = ZONES[letter];
  if (!zone) throw new Error(`postcode ${postcode} names no zone`);
  return { zone, area: postcode.slice(0, 2) };
}

export function carrierFor(destination: Destination): CarrierCode {
  return destination.zone === 'metro' ? 'homefleet' : 'gullwing';
}

/** Days the in-house fleet promises; it drives only short metro rounds. */
const HOMEFLEET_DAYS: Record<Speed, number> = { 'next-day': 1, 'two-day': 2, saver: 3 };

export function homefleetTransitDays(speed: Speed): number {
  return HOMEFLEET_DAYS[speed];
}

/**
 * How often a parcel arrives after its promised date. The in-house vans are punctual in
 * the metro zone and often late outside it (they were never meant to drive there).
 */
export function lateShare(carrier: CarrierCode, zone: Zone): number {
  if (carrier === 'gullwing') return 0.04;
  return zone === 'metro' ? 0.03 : 0.5;
}
