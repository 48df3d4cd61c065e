import type { Region, ServiceLevel } from '../../contracts/domain/order.ts';
import type { CarrierName } from '../../contracts/domain/shipping.ts';

/**
 * The sandbox's carriers as data: what API style each speaks, where it is strong and
 * weak, and the tariff and transit model its quotes and deliveries come from. Every
 * carrier is strong somewhere and weak elsewhere, so rate shopping matters.
 *
 * Transit (virtual days) for a parcel = (baseDays + perZoneDays × zone) × the region's
 * factor (service-specific factor when given), sampled around that mode with a right
 * skew of `spread`. Price = (baseFee + perKg × kg + perZoneFee × zone) × region price factor.
 */
export interface CarrierServiceSpec {
  /** The carrier's own service code, as its API spells it. */
  code: string;
  level: ServiceLevel;
  baseDays: number;
  perZoneDays: number;
  baseFee: number;
  perKg: number;
  perZoneFee: number;
  /** Right skew of the transit distribution: max = mode × (1 + spread). */
  spread: number;
  /** Per-destination-region transit factors for this service only (overrides the carrier's). */
  regionDays?: Partial<Record<Region, number>>;
}

export interface CarrierSpec {
  name: CarrierName;
  apiStyle: string;
  summary: string;
  strongIn: Region[];
  weakIn: Region[];
  currency: string;
  maxWeightKg: number;
  services: CarrierServiceSpec[];
  /** Transit factor by destination region (default 1). */
  regionDays: Partial<Record<Region, number>>;
  /** Price factor by destination region (default 1). */
  regionPrice: Partial<Record<Region, number>>;
  /** Share of parcels that end in a delivery exception (default 0, so runs stay predictable). */
  exceptionRate: number;
  /** The API's own real-time latency per request when no fault is set. */
  latency: { minMs: number; maxMs: number };
}

export const CARRIER_CATALOGUE: Record<CarrierName, CarrierSpec> = {
  parcelly: {
    name: 'parcelly',
    apiStyle: 'shipment with rates, then buy a rate (EasyPost / Shippo style); weights in ounces',
    summary: 'national network, fast in the centre, north and west; slow and dear to the south-east',
    strongIn: ['C', 'N', 'W', 'NW'],
    weakIn: ['SE', 'S'],
    currency: 'USD',
    maxWeightKg: 31.75, // 70 lb
    services: [
      {
        code: 'Economy',
        level: 'economy',
        baseDays: 3,
        perZoneDays: 1,
        baseFee: 4.2,
        perKg: 0.9,
        perZoneFee: 0.8,
        spread: 0.5,
      },
      {
        code: 'Ground',
        level: 'standard',
        baseDays: 1.6,
        perZoneDays: 0.8,
        baseFee: 6.5,
        perKg: 1.1,
        perZoneFee: 1.1,
        spread: 0.4,
      },
      {
        code: 'Express',
        level: 'express',
        baseDays: 0.7,
        perZoneDays: 0.3,
        baseFee: 14,
        perKg: 1.8,
        perZoneFee: 2,
        spread: 0.3,
      },
    ],
    regionDays: { C: 0.8, N: 0.85, W: 0.85, NW: 0.9, SE: 1.6, S: 1.45 },
    regionPrice: { SE: 1.3, S: 1.2 },
    exceptionRate: 0,
    latency: { minMs: 5, maxMs: 25 },
  },
  labelfast: {
    name: 'labelfast',
    apiStyle: 'single-call labels with two-letter status codes (ShipEngine style); weights as {value, unit}',
    summary: 'southern specialist with a strong overnight product; weak to the north and north-east',
    strongIn: ['S', 'SE', 'SW'],
    weakIn: ['N', 'NE'],
    currency: 'USD',
    maxWeightKg: 68, // 150 lb
    services: [
      {
        code: 'lf_saver',
        level: 'economy',
        baseDays: 3.5,
        perZoneDays: 1.2,
        baseFee: 4.5,
        perKg: 0.8,
        perZoneFee: 0.7,
        spread: 0.6,
      },
      {
        code: 'lf_ground',
        level: 'standard',
        baseDays: 1.8,
        perZoneDays: 0.7,
        baseFee: 6.9,
        perKg: 1,
        perZoneFee: 1,
        spread: 0.4,
      },
      {
        code: 'lf_overnight',
        level: 'express',
        baseDays: 0.6,
        perZoneDays: 0.25,
        baseFee: 15.5,
        perKg: 1.6,
        perZoneFee: 1.5,
        spread: 0.2,
      },
    ],
    regionDays: { S: 0.75, SE: 0.8, SW: 0.8, N: 1.5, NE: 1.6 },
    regionPrice: { S: 0.9, SE: 0.9, SW: 0.9, NE: 1.15 },
    exceptionRate: 0,
    latency: { minMs: 5, maxMs: 15 },
  },
  steppe: {
    name: 'steppe',
    apiStyle: 'orders with a long status lifecycle (CDEK v2 style); weights in integer grams',
    summary: 'cheapest everywhere and fast to the east; its economy tariff is very slow to the north-west',
    strongIn: ['E', 'NE', 'SE'],
    weakIn: ['NW', 'W'],
    currency: 'USD',
    maxWeightKg: 50,
    services: [
      {
        code: '233',
        level: 'economy',
        baseDays: 3.2,
        perZoneDays: 1.3,
        baseFee: 3.1,
        perKg: 0.6,
        perZoneFee: 0.5,
        spread: 0.7,
        regionDays: { NW: 2.6, W: 1.6 },
      },
      {
        code: '137',
        level: 'standard',
        baseDays: 1.9,
        perZoneDays: 0.9,
        baseFee: 5.2,
        perKg: 0.8,
        perZoneFee: 0.8,
        spread: 0.5,
      },
      {
        code: '482',
        level: 'express',
        baseDays: 0.8,
        perZoneDays: 0.4,
        baseFee: 12.5,
        perKg: 1.4,
        perZoneFee: 1.6,
        spread: 0.35,
      },
    ],
    regionDays: { E: 0.75, NE: 0.8, SE: 0.85, NW: 1.5, W: 1.3 },
    regionPrice: { E: 0.9, NE: 0.9 },
    exceptionRate: 0,
    latency: { minMs: 10, maxMs: 40 },
  },
};

/** One line per carrier, for `shipgate sandbox` listings. */
export function describeCarriers(): {
  name: CarrierName;
  apiStyle: string;
  strongIn: Region[];
  weakIn: Region[];
  summary: string;
}[] {
  return Object.values(CARRIER_CATALOGUE).map(({ name, apiStyle, strongIn, weakIn, summary }) => ({
    name,
    apiStyle,
    strongIn,
    weakIn,
    summary,
  }));
}
