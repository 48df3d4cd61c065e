import type { CallOptions } from '../carriers/client.ts';
import type { Reservation, ReservationLine, StockLevel, Warehouse } from '../domain/inventory.ts';

/** What the platform asks of the inventory service (contracts/inventory/api.ts has the wire format). */
export interface InventoryClient {
  availability(skus: string[], options?: CallOptions): Promise<StockLevel[]>;
  reserve(request: ReserveRequest, options?: CallOptions): Promise<Reservation>;
  commit(reservationId: string, options?: CallOptions): Promise<Reservation>;
  release(reservationId: string, options?: CallOptions): Promise<Reservation>;
}

export interface ReserveRequest {
  orderId: string;
  idempotencyKey: string;
  lines: ReservationLine[];
  /** Hold time in virtual seconds before the reservation expires. */
  ttlSeconds: number;
  preferWarehouse?: Warehouse;
}

export type InventoryOperation = 'availability' | 'reserve' | 'commit' | 'release';

export class InventoryError extends Error {
  constructor(
    readonly operation: InventoryOperation,
    message: string,
    readonly status?: number,
    /** Stock is short: a business answer, not a fault of the service. */
    readonly outOfStock = false,
    /** The service's error code (e.g. INSUFFICIENT_STOCK) and the SKU it names, when it answered. */
    readonly details: { code?: string; sku?: string } = {},
  ) {
    super(`inventory ${operation}: ${message}`);
    this.name = 'InventoryError';
  }

  /** Worth trying again: no answer (timeout, refused), 408, 429 or 5xx. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
