import { describeIssues, type Validated, validator } from '../../core/schema/validate.ts';
import type { CallOptions } from '../carriers/client.ts';
import { DEFAULT_TIMEOUT_MS, requestJson, TransportError } from '../carriers/http.ts';
import { type Reservation, Reservation as ReservationSchema, type StockLevel } from '../domain/inventory.ts';
import { type InventoryErrorBody, type ReserveBody, StockResponse } from './api.ts';
import {
  type InventoryClient,
  InventoryError,
  type InventoryOperation,
  type ReserveRequest,
} from './client.ts';

export interface InventoryClientOptions {
  baseUrl: string;
  /** Sent as `X-Api-Key` when the service requires one. */
  apiKey?: string;
  /** Per-request timeout in real milliseconds. */
  timeoutMs?: number;
}

const checkStock = validator(StockResponse);
const checkReservation = validator(ReservationSchema);

/**
 * The platform's inventory client over the service's HTTP API (contracts/inventory/api.ts).
 * A 409 INSUFFICIENT_STOCK is a business answer (`outOfStock`), not a fault; a transport
 * failure or 5xx is retryable; a success body that breaks the contract names the field.
 */
export function createInventoryClient(options: InventoryClientOptions): InventoryClient {
  const call = async <T>(
    operation: InventoryOperation,
    request: { method: 'GET' | 'POST'; path: string; body?: unknown },
    ok: number[],
    check: (body: unknown) => Validated<T>,
    callOptions?: CallOptions,
  ): Promise<T> => {
    let response: { status: number; body: unknown };
    try {
      response = await requestJson({
        baseUrl: options.baseUrl,
        ...request,
        headers: { ...callOptions?.headers, ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) },
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: callOptions?.signal,
      });
    } catch (error) {
      throw new InventoryError(
        operation,
        error instanceof TransportError ? error.message : (error as Error).message,
      );
    }
    if (!ok.includes(response.status)) {
      const error = (response.body as Partial<InventoryErrorBody> | undefined)?.error;
      const message = error?.message ? `${error.code}: ${error.message}` : `HTTP ${response.status}`;
      throw new InventoryError(operation, message, response.status, error?.code === 'INSUFFICIENT_STOCK', {
        code: error?.code,
        sku: error?.sku,
      });
    }
    const checked = check(response.body);
    if (!checked.ok) {
      throw new InventoryError(
        operation,
        `response does not match the inventory contract: ${describeIssues(checked.issues)}`,
        response.status,
      );
    }
    return checked.value;
  };

  const transition =
    (operation: 'commit' | 'release') => (reservationId: string, callOptions?: CallOptions) =>
      call(
        operation,
        { method: 'POST', path: `/v1/reservations/${encodeURIComponent(reservationId)}/${operation}` },
        [200],
        checkReservation,
        callOptions,
      );

  return {
    async availability(skus: string[], callOptions?: CallOptions): Promise<StockLevel[]> {
      if (skus.length === 0) return [];
      const query = new URLSearchParams({ skus: skus.join(',') });
      const body = await call(
        'availability',
        { method: 'GET', path: `/v1/stock?${query}` },
        [200],
        checkStock,
        callOptions,
      );
      return body.items;
    },
    async reserve(request: ReserveRequest, callOptions?: CallOptions): Promise<Reservation> {
      const body: ReserveBody = {
        orderId: request.orderId,
        idempotencyKey: request.idempotencyKey,
        lines: request.lines,
        ttlSeconds: request.ttlSeconds,
        ...(request.preferWarehouse ? { preferWarehouse: request.preferWarehouse } : {}),
      };
      return call(
        'reserve',
        { method: 'POST', path: '/v1/reservations', body },
        [200, 201],
        checkReservation,
        callOptions,
      );
    },
    commit: transition('commit'),
    release: transition('release'),
  };
}
