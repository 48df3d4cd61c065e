import Type, { type Static } from 'typebox';
import { Region, ServiceLevel } from '../domain/order.ts';
import { CarrierName } from '../domain/shipping.ts';

/**
 * The logistics platform's own API: what shipgate's replayer, load driver and gate
 * send orders to and read results from. The sandbox platform implements it; a real
 * platform under test exposes the same (or an adapter in front of it does).
 *
 * Intake is asynchronous, as order pipelines are: POST /v1/orders answers 202 once
 * the order is durably accepted, and processing (reservation, rate shopping, shipment)
 * follows. An order accepted and never processed is a lost order.
 */

export const ORDER_STATUSES = ['accepted', 'shipped', 'rejected', 'failed', 'delivered'] as const;
export const OrderStatus = Type.Enum(ORDER_STATUSES);
export type OrderStatus = Static<typeof OrderStatus>;

/** Why processing ended the way it did; `shipped` is the only good outcome. */
export const OUTCOMES = ['shipped', 'out_of_stock', 'no_carrier', 'error'] as const;
export const Outcome = Type.Enum(OUTCOMES);
export type Outcome = Static<typeof Outcome>;

export const OrderAccepted = Type.Object({
  orderId: Type.String(),
  status: Type.Literal('accepted'),
  version: Type.String(),
  /** True when this order id had been accepted before: nothing new was created. */
  duplicate: Type.Boolean(),
});
export type OrderAccepted = Static<typeof OrderAccepted>;

export const OrderState = Type.Object({
  orderId: Type.String(),
  version: Type.String(),
  status: OrderStatus,
  outcome: Type.Optional(Outcome),
  reason: Type.Optional(Type.String()),
  region: Region,
  serviceLevel: ServiceLevel,
  value: Type.Number(),
  vip: Type.Boolean(),
  promisedBy: Type.String({ format: 'date-time' }),
  /** Virtual times. */
  acceptedAt: Type.String({ format: 'date-time' }),
  processedAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** Real milliseconds from acceptance to the end of processing. */
  processingMs: Type.Optional(Type.Number()),
  warehouse: Type.Optional(Type.String()),
  carrier: Type.Optional(CarrierName),
  service: Type.Optional(Type.String()),
  shipmentId: Type.Optional(Type.String()),
  trackingNumber: Type.Optional(Type.String()),
  price: Type.Optional(Type.Number()),
  cutoffMissed: Type.Optional(Type.Boolean()),
  dispatchAt: Type.Optional(Type.String({ format: 'date-time' })),
  predictedDeliveryAt: Type.Optional(Type.String({ format: 'date-time' })),
  deliveredAt: Type.Optional(Type.String({ format: 'date-time' })),
  onTime: Type.Optional(Type.Boolean()),
});
export type OrderState = Static<typeof OrderState>;

export const LookupRequest = Type.Object(
  { ids: Type.Array(Type.String(), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type LookupRequest = Static<typeof LookupRequest>;

export const LookupResponse = Type.Object({
  orders: Type.Array(OrderState),
  /** Ids this platform has never accepted (or has lost). */
  missing: Type.Array(Type.String()),
});
export type LookupResponse = Static<typeof LookupResponse>;

export const ClockState = Type.Object({
  now: Type.String({ format: 'date-time' }),
  speed: Type.Number({ description: 'virtual seconds per real second' }),
});
export type ClockState = Static<typeof ClockState>;

export const PLATFORM_PATHS = {
  orders: '/v1/orders',
  order: '/v1/orders/:id',
  lookup: '/v1/orders/lookup',
  clock: '/v1/clock',
} as const;

export const ApiError = Type.Object({ error: Type.String(), orderId: Type.Optional(Type.String()) });
export type ApiError = Static<typeof ApiError>;
