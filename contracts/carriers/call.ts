import { describeIssues, type Validated } from '../../core/schema/validate.ts';
import type { CarrierName } from '../domain/shipping.ts';
import { type CallOptions, CarrierError, type CarrierOperation } from './client.ts';
import {
  DEFAULT_TIMEOUT_MS,
  isRetryableStatus,
  type JsonRequest,
  requestJson,
  TransportError,
} from './http.ts';

export interface CarrierCall<T> {
  carrier: CarrierName;
  operation: CarrierOperation;
  baseUrl: string;
  timeoutMs?: number;
  /** The carrier's auth header(s), merged after the caller's so they cannot be overridden. */
  auth: Record<string, string>;
  request: Pick<JsonRequest, 'method' | 'path' | 'body'>;
  /** Statuses that carry a success body. */
  ok: number[];
  /** Checks the success body against the carrier's wire schema. */
  check: (body: unknown) => Validated<T>;
  /** Pulls the carrier's own error message out of an error body. */
  describeError: (body: unknown) => string | undefined;
  options?: CallOptions;
}

/**
 * One carrier call with the error rules every client shares: no answer → retryable;
 * an error status → retryable only for 408/429/5xx; a success body that breaks the
 * contract → not retryable, naming the field (a renamed or dropped field shows here).
 */
export async function carrierCall<T>(call: CarrierCall<T>): Promise<{ status: number; body: T }> {
  let response: { status: number; body: unknown };
  try {
    response = await requestJson({
      baseUrl: call.baseUrl,
      ...call.request,
      headers: { ...call.options?.headers, ...call.auth },
      timeoutMs: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: call.options?.signal,
    });
  } catch (error) {
    const message = error instanceof TransportError ? error.message : (error as Error).message;
    throw new CarrierError(call.carrier, call.operation, message, undefined, true);
  }
  if (!call.ok.includes(response.status)) {
    const detail = call.describeError(response.body) ?? `HTTP ${response.status}`;
    throw new CarrierError(
      call.carrier,
      call.operation,
      detail,
      response.status,
      isRetryableStatus(response.status),
    );
  }
  const checked = call.check(response.body);
  if (!checked.ok) {
    throw new CarrierError(
      call.carrier,
      call.operation,
      `response does not match the ${call.carrier} contract: ${describeIssues(checked.issues)}`,
      response.status,
      false,
    );
  }
  return { status: response.status, body: checked.value };
}

export function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
