import { Counter, type Registry } from 'prom-client';
import type { Region } from '../../contracts/domain/order.ts';
import type { CarrierName } from '../../contracts/domain/shipping.ts';
import type { VirtualClock } from '../clock/clock.ts';
import { CARRIER_CATALOGUE, type CarrierServiceSpec, type CarrierSpec } from './catalogue.ts';
import { regionOf } from './geography.ts';
import { type Lane, quoteService, sampleException, sampleTransitDays } from './rates.ts';
import { DAY_MS, ShipmentBook, type ShipmentRecord } from './shipments.ts';

/** What a carrier's routes share: its spec, its shipments, the virtual clock, its counters. */
export interface CarrierContext<T extends ShipmentRecord = ShipmentRecord> {
  spec: CarrierSpec;
  book: ShipmentBook<T>;
  clock: Pick<VirtualClock, 'now'>;
  apiKey: string;
  /** Heaviest parcel accepted now (a provider state may lower it). */
  maxWeightKg: number;
  shipments: Counter<'carrier' | 'service' | 'region'>;
  cancellations: Counter<'carrier' | 'result'>;
}

export function createCarrierContext<T extends ShipmentRecord>(
  name: CarrierName,
  options: { clock: Pick<VirtualClock, 'now'>; apiKey: string; seed: number; registry: Registry },
): CarrierContext<T> {
  const spec = structuredClone(CARRIER_CATALOGUE[name]);
  return {
    spec,
    book: new ShipmentBook<T>(options.seed),
    clock: options.clock,
    apiKey: options.apiKey,
    maxWeightKg: spec.maxWeightKg,
    shipments: new Counter({
      name: 'sandbox_carrier_shipments_total',
      help: 'Shipments (labels, orders) created at the sandbox carrier, by service and destination region',
      labelNames: ['carrier', 'service', 'region'],
      registers: [options.registry],
    }),
    cancellations: new Counter({
      name: 'sandbox_carrier_cancellations_total',
      help: 'Cancellation requests at the sandbox carrier, by result',
      labelNames: ['carrier', 'result'],
      registers: [options.registry],
    }),
  };
}

export function findService(spec: CarrierSpec, code: string): CarrierServiceSpec | undefined {
  return spec.services.find((service) => service.code === code);
}

/** The lane of a parcel, or why the carrier cannot serve it. */
export function laneOf(
  fromPostcode: string,
  toPostcode: string,
  weightKg: number,
): Lane | { problem: string; field: 'from' | 'to' } {
  try {
    return { from: regionOf(fromPostcode), to: regionOf(toPostcode), weightKg };
  } catch {
    const field = regionOfSafe(fromPostcode) ? 'to' : 'from';
    return {
      problem: `postcode ${field === 'to' ? toPostcode : fromPostcode} is outside the service area`,
      field,
    };
  }
}

function regionOfSafe(postcode: string): Region | undefined {
  try {
    return regionOf(postcode);
  } catch {
    return undefined;
  }
}

export interface NewShipment {
  id: string;
  trackingNumber: string;
  service: CarrierServiceSpec;
  lane: Lane;
  fromPostcode: string;
  toPostcode: string;
  shipDate: number;
  reference?: string;
}

/**
 * A label bought up to this long after its ship date still makes that collection (the
 * van is loaded at the cutoff): the platform decides the ship date from the order's own
 * time, and the few virtual minutes its calls take — many more at 1440× on a busy
 * host — must not move the delivery, or the same order is delivered at different times
 * in two builds of an A/A replay. Later than this, the parcel leaves when the label is.
 */
export const LATE_LABEL_GRACE_MS = 2 * 3_600_000;

/** A shipment priced and timed by the carrier's model; its transit is drawn from its id. */
export function newShipmentRecord(ctx: CarrierContext, input: NewShipment): ShipmentRecord {
  const now = ctx.clock.now();
  const quote = quoteService(ctx.spec, input.service, input.lane);
  const transitDays = sampleTransitDays(ctx.spec, input.service, input.lane, input.id);
  const start = input.shipDate >= now - LATE_LABEL_GRACE_MS ? input.shipDate : now;
  return {
    id: input.id,
    trackingNumber: input.trackingNumber,
    carrier: ctx.spec.name,
    serviceCode: input.service.code,
    level: input.service.level,
    from: input.lane.from,
    to: input.lane.to,
    fromPostcode: input.fromPostcode,
    toPostcode: input.toPostcode,
    weightKg: input.lane.weightKg,
    price: quote.price,
    currency: ctx.spec.currency,
    createdAt: now,
    shipDate: input.shipDate,
    transitDays,
    deliverAt: start + transitDays * DAY_MS,
    failed: sampleException(ctx.spec, input.id),
    reference: input.reference,
  };
}

/** What a provider state asks for: a shipment from the central warehouse at a given stage. */
export interface SeedShipment {
  shipmentId: string;
  trackingNumber?: string;
  stage: ShipmentStage;
  toPostcode: string;
  weightKg: number;
  service?: string;
}

/**
 * The record behind a provider state, shipping today from the central warehouse; the
 * carrier adds its own fields, then `placeAtStage` and adds it to its book.
 */
export function seededShipmentRecord(
  ctx: CarrierContext,
  params: SeedShipment,
  defaults: { service: string; trackingNumber: () => string },
): ShipmentRecord {
  const lane = laneOf(WAREHOUSE_POSTCODE, params.toPostcode, params.weightKg);
  if ('problem' in lane) throw new Error(lane.problem);
  const service =
    findService(ctx.spec, params.service ?? defaults.service) ?? findService(ctx.spec, defaults.service)!;
  return newShipmentRecord(ctx, {
    id: params.shipmentId,
    trackingNumber: params.trackingNumber ?? defaults.trackingNumber(),
    service,
    lane,
    fromPostcode: WAREHOUSE_POSTCODE,
    toPostcode: params.toPostcode,
    shipDate: ctx.clock.now(),
  });
}

const WAREHOUSE_POSTCODE = '100000';

export function countShipment(ctx: CarrierContext, record: ShipmentRecord): void {
  ctx.shipments.inc({ carrier: ctx.spec.name, service: record.serviceCode, region: record.to });
}

/**
 * Moves a record in virtual time so it is at a given stage now (provider states):
 * `created` ships in an hour, `in_transit` is a third of the way, `delivered` arrived an hour ago.
 */
export function placeAtStage(record: ShipmentRecord, stage: ShipmentStage, now: number): void {
  const transitMs = record.transitDays * DAY_MS;
  const HOUR = 3_600_000;
  if (stage === 'in_transit') {
    record.createdAt = now - transitMs / 3 - HOUR;
    record.shipDate = now - transitMs / 3;
  } else if (stage === 'delivered') {
    record.createdAt = now - transitMs - 2 * HOUR;
    record.shipDate = now - transitMs - HOUR;
  } else {
    record.createdAt = now;
    record.shipDate = now + HOUR;
  }
  record.deliverAt = Math.max(record.shipDate, record.createdAt) + transitMs;
  record.failed = false;
  if (stage === 'cancelled') record.cancelledAt = now;
}

export const SHIPMENT_STAGES = ['quoted', 'created', 'in_transit', 'delivered', 'cancelled'] as const;
export type ShipmentStage = (typeof SHIPMENT_STAGES)[number];
