import Type, { type Static } from 'typebox';
import type { ServiceLevel } from '../../domain/order.ts';

/**
 * labelfast: a single-call label API with short status codes (in the style of ShipEngine).
 * Rates are optional (POST /v1/rates); POST /v1/labels buys a label in one call.
 * Weights are `{ value, unit }` in pound | ounce | gram | kilogram; money is
 * `{ amount, currency }`. Tracking reports a two-letter status_code and events.
 * Auth: an `API-Key` header. These schemas are the sandbox carrier's route schemas.
 */

export const LABELFAST_SERVICES = {
  lf_saver: 'economy',
  lf_ground: 'standard',
  lf_overnight: 'express',
} as const satisfies Record<string, ServiceLevel>;
export type LabelfastService = keyof typeof LABELFAST_SERVICES;
export const LabelfastServiceCode = Type.Enum(Object.keys(LABELFAST_SERVICES) as LabelfastService[]);

/** UN unknown / label created, AC accepted by the carrier, IT in transit, DE delivered, EX exception. */
export const LABELFAST_STATUS_CODES = ['UN', 'AC', 'IT', 'DE', 'EX'] as const;
export const LabelfastStatusCode = Type.Enum(LABELFAST_STATUS_CODES);
export type LabelfastStatusCode = Static<typeof LabelfastStatusCode>;

/** Event codes refine the status: OD is out for delivery, VD a voided label. */
export const LABELFAST_EVENT_CODES = ['LC', 'PU', 'AR', 'DP', 'OD', 'DL', 'EX', 'VD'] as const;
export const LabelfastEventCode = Type.Enum(LABELFAST_EVENT_CODES);
export type LabelfastEventCode = Static<typeof LabelfastEventCode>;

export const WEIGHT_UNITS = ['pound', 'ounce', 'gram', 'kilogram'] as const;
export const WeightUnit = Type.Enum(WEIGHT_UNITS);
export type WeightUnit = Static<typeof WeightUnit>;

export const KG_PER_UNIT: Record<WeightUnit, number> = {
  pound: 0.45359237,
  ounce: 0.028349523125,
  gram: 0.001,
  kilogram: 1,
};

export const Weight = Type.Object({ value: Type.Number({ exclusiveMinimum: 0 }), unit: WeightUnit });
export type Weight = Static<typeof Weight>;

export const Money = Type.Object({
  amount: Type.Number({ minimum: 0 }),
  currency: Type.String({ pattern: '^[a-z]{3}$' }),
});
export type Money = Static<typeof Money>;

const PostalCode = Type.String({ pattern: '^[0-9]{6}$' });

export const LabelfastAddress = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  address_line1: Type.Optional(Type.String({ maxLength: 200 })),
  city_locality: Type.Optional(Type.String({ maxLength: 100 })),
  postal_code: PostalCode,
  country_code: Type.String({ pattern: '^[A-Z]{2}$' }),
});
export type LabelfastAddress = Static<typeof LabelfastAddress>;

export const LabelfastPackage = Type.Object({
  weight: Weight,
  dimensions: Type.Optional(
    Type.Object({
      unit: Type.Enum(['inch', 'centimeter']),
      length: Type.Number({ exclusiveMinimum: 0 }),
      width: Type.Number({ exclusiveMinimum: 0 }),
      height: Type.Number({ exclusiveMinimum: 0 }),
    }),
  ),
});
export type LabelfastPackage = Static<typeof LabelfastPackage>;

export const LabelfastShipmentInput = Type.Object({
  ship_to: LabelfastAddress,
  ship_from: LabelfastAddress,
  ship_date: Type.Optional(Type.String({ format: 'date-time' })),
  packages: Type.Array(LabelfastPackage, { minItems: 1, maxItems: 1 }),
});

export const RatesBody = Type.Object({
  rate_options: Type.Optional(
    Type.Object({ service_codes: Type.Optional(Type.Array(LabelfastServiceCode)) }),
  ),
  shipment: LabelfastShipmentInput,
});
export type RatesBody = Static<typeof RatesBody>;

export const LabelfastRate = Type.Object({
  rate_id: Type.String({ pattern: '^se-[0-9a-f]+$' }),
  service_code: LabelfastServiceCode,
  service_type: Type.String(),
  shipping_amount: Money,
  delivery_days: Type.Integer({ minimum: 0 }),
  estimated_delivery_date: Type.String({ format: 'date-time' }),
});
export type LabelfastRate = Static<typeof LabelfastRate>;

export const RatesResponse = Type.Object({
  rate_response: Type.Object({
    status: Type.Enum(['completed', 'partial', 'error']),
    rates: Type.Array(LabelfastRate),
    errors: Type.Array(Type.Object({ error_code: Type.String(), message: Type.String() })),
  }),
});
export type RatesResponse = Static<typeof RatesResponse>;

export const CreateLabelBody = Type.Object({
  shipment: Type.Object({
    service_code: LabelfastServiceCode,
    ...LabelfastShipmentInput.properties,
  }),
  label_format: Type.Optional(Type.Enum(['pdf', 'png', 'zpl'])),
  external_order_id: Type.Optional(Type.String({ maxLength: 100 })),
});
export type CreateLabelBody = Static<typeof CreateLabelBody>;

export const Label = Type.Object({
  label_id: Type.String({ pattern: '^se-[0-9a-f]+$' }),
  status: Type.Enum(['processing', 'completed', 'error', 'voided']),
  shipment_id: Type.String(),
  ship_date: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  tracking_number: Type.String(),
  service_code: LabelfastServiceCode,
  shipment_cost: Money,
  voided: Type.Boolean(),
  label_download: Type.Object({ href: Type.String() }),
});
export type Label = Static<typeof Label>;

export const LabelParams = Type.Object({ label_id: Type.String({ minLength: 1, maxLength: 100 }) });

export const VoidResponse = Type.Object({ approved: Type.Boolean(), message: Type.String() });
export type VoidResponse = Static<typeof VoidResponse>;

export const LabelfastEvent = Type.Object({
  occurred_at: Type.String({ format: 'date-time' }),
  status_code: LabelfastStatusCode,
  event_code: LabelfastEventCode,
  description: Type.String(),
  city_locality: Type.String(),
  postal_code: Type.String(),
});
export type LabelfastEvent = Static<typeof LabelfastEvent>;

export const TrackResponse = Type.Object({
  tracking_number: Type.String(),
  status_code: LabelfastStatusCode,
  status_description: Type.String(),
  ship_date: Type.String({ format: 'date-time' }),
  estimated_delivery_date: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  actual_delivery_date: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  events: Type.Array(LabelfastEvent),
});
export type TrackResponse = Static<typeof TrackResponse>;

export const LabelfastErrors = Type.Object({
  request_id: Type.String(),
  errors: Type.Array(
    Type.Object({
      error_source: Type.String(),
      error_type: Type.Enum(['validation', 'business_rules', 'security', 'system']),
      error_code: Type.String(),
      message: Type.String(),
      field_name: Type.Optional(Type.String()),
    }),
  ),
});
export type LabelfastErrors = Static<typeof LabelfastErrors>;
