import Type, { type Static } from 'typebox';
import type { ServiceLevel } from '../../domain/order.ts';

/**
 * steppe: an order-based API with a long status lifecycle (in the style of CDEK v2).
 * Tariffs are priced by POST /v2/calculator/tarifflist; POST /v2/orders registers an
 * order asynchronously (202 with the entity uuid and request states); GET /v2/orders/:uuid
 * lists the statuses NEWEST FIRST; DELETE cancels. Weights are INTEGER GRAMS, dimensions
 * integer centimetres. Auth: `Authorization: Bearer <key>`. Validation errors name the field.
 */

export const STEPPE_TARIFFS = {
  233: { level: 'economy', name: 'Economy parcel door-door' },
  137: { level: 'standard', name: 'Parcel door-door' },
  482: { level: 'express', name: 'Express door-door' },
} as const satisfies Record<number, { level: ServiceLevel; name: string }>;
export type SteppeTariffCode = keyof typeof STEPPE_TARIFFS;
export const STEPPE_TARIFF_CODES = Object.keys(STEPPE_TARIFFS).map(Number) as SteppeTariffCode[];

export const STEPPE_STATUSES = [
  'CREATED',
  'ACCEPTED',
  'RECEIVED_AT_SHIPMENT_WAREHOUSE',
  'TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY',
  'SENT_TO_TRANSIT_CITY',
  'ACCEPTED_IN_TRANSIT_CITY',
  'ACCEPTED_AT_PICK_UP_POINT',
  'DELIVERED',
  'NOT_DELIVERED',
  'CANCELLED',
] as const;
export const SteppeStatusCode = Type.Enum(STEPPE_STATUSES);
export type SteppeStatusCode = Static<typeof SteppeStatusCode>;

/** A parcel this light or heavy is not a parcel: almost always a unit error (kg sent as g). */
export const MIN_GRAMS = 10;
export const MAX_GRAMS = 50_000;

export const Grams = Type.Integer({ minimum: MIN_GRAMS, maximum: MAX_GRAMS, description: 'integer grams' });
const Centimetres = Type.Integer({ minimum: 1, maximum: 300 });

export const SteppePackage = Type.Object({
  number: Type.Optional(Type.String({ maxLength: 50 })),
  weight: Grams,
  length: Type.Optional(Centimetres),
  width: Type.Optional(Centimetres),
  height: Type.Optional(Centimetres),
});
export type SteppePackage = Static<typeof SteppePackage>;

export const SteppeLocation = Type.Object({
  postal_code: Type.String({ pattern: '^[0-9]{6}$' }),
  country_code: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  address: Type.Optional(Type.String({ maxLength: 255 })),
});
export type SteppeLocation = Static<typeof SteppeLocation>;

export const TariffListBody = Type.Object({
  date: Type.Optional(Type.String({ format: 'date-time' })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  from_location: SteppeLocation,
  to_location: SteppeLocation,
  packages: Type.Array(SteppePackage, { minItems: 1, maxItems: 1 }),
});
export type TariffListBody = Static<typeof TariffListBody>;

export const SteppeTariff = Type.Object({
  tariff_code: Type.Integer(),
  tariff_name: Type.String(),
  delivery_mode: Type.Integer({ minimum: 1, maximum: 4 }),
  delivery_sum: Type.Number({ minimum: 0 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  period_min: Type.Integer({ minimum: 0 }),
  period_max: Type.Integer({ minimum: 0 }),
});
export type SteppeTariff = Static<typeof SteppeTariff>;

export const TariffListResponse = Type.Object({ tariff_codes: Type.Array(SteppeTariff) });
export type TariffListResponse = Static<typeof TariffListResponse>;

export const SteppeRecipient = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  email: Type.Optional(Type.String({ maxLength: 255 })),
  phones: Type.Array(Type.Object({ number: Type.String({ minLength: 1, maxLength: 30 }) }), { minItems: 1 }),
});

export const CreateOrderBody = Type.Object({
  tariff_code: Type.Integer(),
  number: Type.Optional(Type.String({ maxLength: 40, description: "the shipper's own order number" })),
  planned_shipment_date: Type.Optional(Type.String({ format: 'date-time' })),
  recipient: SteppeRecipient,
  from_location: SteppeLocation,
  to_location: SteppeLocation,
  packages: Type.Array(SteppePackage, { minItems: 1, maxItems: 1 }),
});
export type CreateOrderBody = Static<typeof CreateOrderBody>;

export const SteppeRequestError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  /** The offending field, e.g. `packages[0].weight`. */
  field: Type.Optional(Type.String()),
});

export const SteppeRequest = Type.Object({
  request_uuid: Type.String({ format: 'uuid' }),
  type: Type.Enum(['CREATE', 'DELETE', 'GET', 'CALCULATE']),
  date_time: Type.String({ format: 'date-time' }),
  state: Type.Enum(['ACCEPTED', 'WAITING', 'SUCCESSFUL', 'INVALID']),
  errors: Type.Optional(Type.Array(SteppeRequestError)),
});
export type SteppeRequest = Static<typeof SteppeRequest>;

export const OrderEntityResponse = Type.Object({
  entity: Type.Object({ uuid: Type.String({ format: 'uuid' }) }),
  requests: Type.Array(SteppeRequest),
});
export type OrderEntityResponse = Static<typeof OrderEntityResponse>;

export const SteppeStatus = Type.Object({
  code: SteppeStatusCode,
  name: Type.String(),
  date_time: Type.String({ format: 'date-time' }),
  city: Type.String(),
});
export type SteppeStatus = Static<typeof SteppeStatus>;

export const OrderInfoResponse = Type.Object({
  entity: Type.Object({
    uuid: Type.String({ format: 'uuid' }),
    steppe_number: Type.String(),
    number: Type.Optional(Type.String()),
    tariff_code: Type.Integer(),
    delivery_sum: Type.Number({ minimum: 0 }),
    currency: Type.String(),
    planned_delivery_date: Type.String({ format: 'date-time' }),
    /** Newest first, as the carrier lists them. */
    statuses: Type.Array(SteppeStatus),
  }),
  requests: Type.Array(SteppeRequest),
});
export type OrderInfoResponse = Static<typeof OrderInfoResponse>;

export const OrderParams = Type.Object({ uuid: Type.String({ format: 'uuid' }) });

/** Errors answer with the request list only, each INVALID with its errors. */
export const SteppeErrorResponse = Type.Object({ requests: Type.Array(SteppeRequest) });
export type SteppeErrorResponse = Static<typeof SteppeErrorResponse>;
