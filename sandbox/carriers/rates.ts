import type { Region } from '../../contracts/domain/order.ts';
import { uniformFrom } from '../../core/prng.ts';
import type { CarrierServiceSpec, CarrierSpec } from './catalogue.ts';
import { zoneBetween } from './geography.ts';

export interface Lane {
  from: Region;
  to: Region;
  weightKg: number;
}

export interface ServiceQuote {
  service: CarrierServiceSpec;
  price: number;
  /** Days the carrier advertises: the 90th percentile of its transit, rounded up. */
  advertisedDays: number;
  /** Fastest plausible transit in whole days. */
  minDays: number;
  /** Mode of the transit distribution, virtual days. */
  modeDays: number;
}

/** Transit distribution of one service on one lane: triangular(min, mode, max) in days. */
export function transitDistribution(carrier: CarrierSpec, service: CarrierServiceSpec, lane: Lane) {
  const zone = zoneBetween(lane.from, lane.to);
  const factor = service.regionDays?.[lane.to] ?? carrier.regionDays[lane.to] ?? 1;
  const mode = (service.baseDays + service.perZoneDays * zone) * factor;
  return { min: mode * 0.8, mode, max: mode * (1 + service.spread) };
}

export function quoteService(carrier: CarrierSpec, service: CarrierServiceSpec, lane: Lane): ServiceQuote {
  const zone = zoneBetween(lane.from, lane.to);
  const billableKg = Math.max(0.1, lane.weightKg);
  const raw =
    (service.baseFee + service.perKg * billableKg + service.perZoneFee * zone) *
    (carrier.regionPrice[lane.to] ?? 1);
  const dist = transitDistribution(carrier, service, lane);
  return {
    service,
    price: Math.round(raw * 100) / 100,
    advertisedDays: Math.max(1, Math.ceil(triangularQuantile(dist, 0.9))),
    minDays: Math.max(0, Math.floor(dist.min)),
    modeDays: dist.mode,
  };
}

export function quoteAll(carrier: CarrierSpec, lane: Lane): ServiceQuote[] {
  return carrier.services.map((service) => quoteService(carrier, service, lane));
}

/**
 * The actual transit of one shipment, in virtual days: drawn from its lane's
 * distribution with a uniform determined by the shipment id, so the same shipment
 * always takes the same time (and a test can know it).
 */
export function sampleTransitDays(
  carrier: CarrierSpec,
  service: CarrierServiceSpec,
  lane: Lane,
  shipmentId: string,
): number {
  return triangularQuantile(transitDistribution(carrier, service, lane), uniformFrom(shipmentId, 'transit'));
}

export function sampleException(carrier: CarrierSpec, shipmentId: string): boolean {
  return carrier.exceptionRate > 0 && uniformFrom(shipmentId, 'exception') < carrier.exceptionRate;
}

/** Inverse CDF of the triangular distribution; hand-written as it is three lines. */
export function triangularQuantile(d: { min: number; mode: number; max: number }, p: number): number {
  const { min: a, mode: c, max: b } = d;
  if (b <= a) return a;
  const split = (c - a) / (b - a);
  return p < split ? a + Math.sqrt(p * (b - a) * (c - a)) : b - Math.sqrt((1 - p) * (b - a) * (b - c));
}
