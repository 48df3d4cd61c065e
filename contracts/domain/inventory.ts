import Type, { type Static } from 'typebox';

export const WAREHOUSES = ['WH-C', 'WH-NW'] as const;
export const Warehouse = Type.Enum(WAREHOUSES);
export type Warehouse = Static<typeof Warehouse>;

export const ReservationLine = Type.Object(
  { sku: Type.String({ minLength: 1 }), qty: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type ReservationLine = Static<typeof ReservationLine>;

export const RESERVATION_STATUSES = ['held', 'committed', 'released', 'expired'] as const;
export const ReservationStatus = Type.Enum(RESERVATION_STATUSES);
export type ReservationStatus = Static<typeof ReservationStatus>;

/** A hold on stock for one order in one warehouse, released or committed before it expires. */
export const Reservation = Type.Object({
  reservationId: Type.String(),
  idempotencyKey: Type.String(),
  orderId: Type.String(),
  warehouse: Warehouse,
  lines: Type.Array(ReservationLine),
  status: ReservationStatus,
  expiresAt: Type.String({ format: 'date-time' }),
});
export type Reservation = Static<typeof Reservation>;

export const StockLevel = Type.Object({
  sku: Type.String(),
  warehouse: Warehouse,
  onHand: Type.Integer({ minimum: 0 }),
  reserved: Type.Integer({ minimum: 0 }),
  available: Type.Integer({ minimum: 0 }),
});
export type StockLevel = Static<typeof StockLevel>;
