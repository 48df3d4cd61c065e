import Type, { type Static } from 'typebox';
import type { ServiceLevel } from '../../domain/order.ts';

/**
 * parcelly: a shipment-with-rates-then-buy API (in the style of EasyPost and Shippo).
 * Create a shipment and get its rates, buy one rate to get a tracking code, refund to
 * cancel, follow a tracker. Weights are in OUNCES; prices are decimal strings.
 * Auth: HTTP Basic with the API key as the user name and an empty password.
 * These schemas are the fastify route schemas of the sandbox carrier (one definition).
 */

export const PARCELLY_SERVICES = {
  Economy: 'economy',
  Ground: 'standard',
  Express: 'express',
} as const satisfies Record<string, ServiceLevel>;
export type ParcellyService = keyof typeof PARCELLY_SERVICES;
export const ParcellyServiceName = Type.Enum(Object.keys(PARCELLY_SERVICES) as ParcellyService[]);

export const PARCELLY_STATUSES = [
  'unknown',
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'failure',
  'cancelled',
  'return_to_sender',
] as const;
export const ParcellyStatus = Type.Enum(PARCELLY_STATUSES);
export type ParcellyStatus = Static<typeof ParcellyStatus>;

const Zip = Type.String({ pattern: '^[0-9]{6}$' });

export const ParcellyAddress = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  company: Type.Optional(Type.String({ maxLength: 200 })),
  street1: Type.Optional(Type.String({ maxLength: 200 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  zip: Zip,
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
});
export type ParcellyAddress = Static<typeof ParcellyAddress>;

export const ParcellyParcel = Type.Object({
  /** Ounces. */
  weight: Type.Number({ exclusiveMinimum: 0 }),
  length: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  width: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  height: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});
export type ParcellyParcel = Static<typeof ParcellyParcel>;

export const CreateShipmentBody = Type.Object({
  shipment: Type.Object({
    to_address: ParcellyAddress,
    from_address: ParcellyAddress,
    parcel: ParcellyParcel,
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    options: Type.Optional(Type.Object({ label_date: Type.Optional(Type.String({ format: 'date-time' })) })),
  }),
});
export type CreateShipmentBody = Static<typeof CreateShipmentBody>;

export const ParcellyRate = Type.Object({
  id: Type.String({ pattern: '^rate_[0-9a-f]+$' }),
  object: Type.Literal('Rate'),
  shipment_id: Type.String(),
  carrier: Type.String(),
  service: ParcellyServiceName,
  /** Decimal string, two places. */
  rate: Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  delivery_days: Type.Integer({ minimum: 0 }),
  delivery_date_guaranteed: Type.Boolean(),
});
export type ParcellyRate = Static<typeof ParcellyRate>;

export const ParcellyShipment = Type.Object({
  id: Type.String({ pattern: '^shp_[0-9a-f]+$' }),
  object: Type.Literal('Shipment'),
  created_at: Type.String({ format: 'date-time' }),
  reference: Type.Optional(Type.String()),
  parcel: ParcellyParcel,
  rates: Type.Array(ParcellyRate),
  selected_rate: Type.Union([ParcellyRate, Type.Null()]),
  tracking_code: Type.Union([Type.String(), Type.Null()]),
  status: ParcellyStatus,
  refund_status: Type.Union([Type.Enum(['submitted', 'refunded', 'rejected']), Type.Null()]),
});
export type ParcellyShipment = Static<typeof ParcellyShipment>;

export const BuyBody = Type.Object({ rate: Type.Object({ id: Type.String({ minLength: 1 }) }) });
export type BuyBody = Static<typeof BuyBody>;

export const ShipmentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const TrackerParams = Type.Object({ tracking_code: Type.String({ minLength: 1, maxLength: 100 }) });

export const ParcellyTrackingDetail = Type.Object({
  object: Type.Literal('TrackingDetail'),
  status: ParcellyStatus,
  message: Type.String(),
  datetime: Type.String({ format: 'date-time' }),
  tracking_location: Type.Object({
    city: Type.Union([Type.String(), Type.Null()]),
    zip: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type ParcellyTrackingDetail = Static<typeof ParcellyTrackingDetail>;

export const ParcellyTracker = Type.Object({
  id: Type.String({ pattern: '^trk_[0-9a-f]+$' }),
  object: Type.Literal('Tracker'),
  tracking_code: Type.String(),
  shipment_id: Type.String(),
  carrier: Type.String(),
  status: ParcellyStatus,
  est_delivery_date: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  tracking_details: Type.Array(ParcellyTrackingDetail),
  updated_at: Type.String({ format: 'date-time' }),
});
export type ParcellyTracker = Static<typeof ParcellyTracker>;

export const ParcellyError = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  }),
});
export type ParcellyError = Static<typeof ParcellyError>;

/** kg → ounces, one decimal, as parcelly wants them. */
export const OUNCES_PER_KG = 35.27396195;
