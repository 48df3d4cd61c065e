import Type, { type Static } from 'typebox';
import { ServiceLevel } from './order.ts';

/**
 * The platform's carrier-neutral view of shipping. Each carrier speaks its own API
 * (contracts/carriers/<name>); its client translates to and from these shapes.
 */

export const CARRIERS = ['parcelly', 'labelfast', 'steppe'] as const;
export const CarrierName = Type.Enum(CARRIERS);
export type CarrierName = Static<typeof CarrierName>;

export const RateQuote = Type.Object({
  carrier: CarrierName,
  /** The carrier's own service code, passed back when buying. */
  service: Type.String(),
  serviceLevel: ServiceLevel,
  /** The carrier's handle for this quote (a rate id, a tariff code). */
  quoteRef: Type.String(),
  price: Type.Number({ minimum: 0 }),
  currency: Type.String(),
  transitDays: Type.Number({ minimum: 0 }),
});
export type RateQuote = Static<typeof RateQuote>;

export const Shipment = Type.Object({
  carrier: CarrierName,
  service: Type.String(),
  shipmentId: Type.String(),
  trackingNumber: Type.String(),
  price: Type.Number({ minimum: 0 }),
  currency: Type.String(),
});
export type Shipment = Static<typeof Shipment>;

/** One vocabulary for tracking, whatever the carrier calls its states. */
export const TRACKING_STATUSES = [
  'created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'cancelled',
] as const;
export const TrackingStatus = Type.Enum(TRACKING_STATUSES);
export type TrackingStatus = Static<typeof TrackingStatus>;

export const TrackingEvent = Type.Object({
  status: TrackingStatus,
  at: Type.String({ format: 'date-time' }),
  /** The carrier's own status word, kept for evidence. */
  carrierStatus: Type.String(),
  location: Type.Optional(Type.String()),
});
export type TrackingEvent = Static<typeof TrackingEvent>;

export const Tracking = Type.Object({
  carrier: CarrierName,
  trackingNumber: Type.String(),
  status: TrackingStatus,
  events: Type.Array(TrackingEvent),
  deliveredAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type Tracking = Static<typeof Tracking>;

/** What a carrier needs to know about one parcel, in the platform's units (kg, cm). */
export interface ParcelRequest {
  orderId: string;
  weightKg: number;
  serviceLevel: ServiceLevel;
  fromPostcode: string;
  toPostcode: string;
  recipient: { name: string; phone: string; email: string; line1: string; city: string; country: string };
  /** Virtual time the parcel is handed over at the warehouse cutoff. */
  shipDate: string;
}
