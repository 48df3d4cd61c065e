import Type, { type Static } from 'typebox';
import { Reservation, ReservationLine, StockLevel, Warehouse } from '../domain/inventory.ts';

/**
 * The inventory service's wire format (the sandbox service's route schemas; the
 * platform's client in http-client.ts). Auth, when the service has a key: `X-Api-Key`.
 *
 *   GET  /v1/stock?skus=A,B                 → { items: StockLevel[], unknown: string[] }
 *   POST /v1/reservations                   → 201 Reservation (200 when the idempotency key replays)
 *   GET  /v1/reservations/:id               → Reservation
 *   POST /v1/reservations/:id/commit        → Reservation (idempotent)
 *   POST /v1/reservations/:id/release       → Reservation (idempotent)
 *
 * Errors: { error: { code, message, sku?, requested?, available?, field? } } with
 * 409 INSUFFICIENT_STOCK | IDEMPOTENCY_KEY_REUSED | RESERVATION_EXPIRED | RESERVATION_RELEASED |
 * RESERVATION_COMMITTED, 422 UNKNOWN_SKU, 404 RESERVATION_NOT_FOUND, 400 INVALID_REQUEST.
 * A reservation holds stock in one warehouse for all its lines (one parcel per order).
 */

export const MAX_TTL_SECONDS = 7 * 86_400;

export const StockQuery = Type.Object({
  skus: Type.String({ minLength: 1, maxLength: 4000, description: 'comma-separated SKUs' }),
});
export type StockQuery = Static<typeof StockQuery>;

export const StockResponse = Type.Object({
  items: Type.Array(StockLevel),
  unknown: Type.Array(Type.String()),
});
export type StockResponse = Static<typeof StockResponse>;

export const ReserveBody = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64 }),
    idempotencyKey: Type.String({ minLength: 1, maxLength: 128 }),
    lines: Type.Array(ReservationLine, { minItems: 1, maxItems: 200 }),
    ttlSeconds: Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS }),
    preferWarehouse: Type.Optional(Warehouse),
  },
  { additionalProperties: false },
);
export type ReserveBody = Static<typeof ReserveBody>;

export const ReservationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ReservationResponse = Reservation;
export type ReservationResponse = Static<typeof ReservationResponse>;

export const INVENTORY_ERROR_CODES = [
  'INSUFFICIENT_STOCK',
  'IDEMPOTENCY_KEY_REUSED',
  'RESERVATION_EXPIRED',
  'RESERVATION_RELEASED',
  'RESERVATION_COMMITTED',
  'UNKNOWN_SKU',
  'RESERVATION_NOT_FOUND',
  'INVALID_REQUEST',
  'UNAUTHORIZED',
] as const;
export const InventoryErrorCode = Type.Enum(INVENTORY_ERROR_CODES);
export type InventoryErrorCode = Static<typeof InventoryErrorCode>;

export const InventoryErrorBody = Type.Object({
  error: Type.Object({
    code: InventoryErrorCode,
    message: Type.String(),
    sku: Type.Optional(Type.String()),
    requested: Type.Optional(Type.Integer()),
    available: Type.Optional(Type.Integer()),
    field: Type.Optional(Type.String()),
  }),
});
export type InventoryErrorBody = Static<typeof InventoryErrorBody>;
