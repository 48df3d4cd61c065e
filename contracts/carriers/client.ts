import type { CarrierName, ParcelRequest, RateQuote, Shipment, Tracking } from '../domain/shipping.ts';

/**
 * What the platform asks of any carrier. Each carrier's client (contracts/carriers/<name>/client.ts)
 * implements it over that carrier's own HTTP API; the platform never sees carrier wire formats.
 */
export interface CarrierClient {
  readonly carrier: CarrierName;
  quote(parcel: ParcelRequest, options?: CallOptions): Promise<RateQuote[]>;
  createShipment(parcel: ParcelRequest, quote: RateQuote, options?: CallOptions): Promise<Shipment>;
  cancel(shipment: Pick<Shipment, 'shipmentId' | 'trackingNumber'>, options?: CallOptions): Promise<void>;
  track(shipment: Pick<Shipment, 'shipmentId' | 'trackingNumber'>, options?: CallOptions): Promise<Tracking>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** W3C trace context and the like, forwarded as request headers. */
  headers?: Record<string, string>;
}

export interface CarrierClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout in milliseconds (real time). */
  timeoutMs?: number;
}

export type CarrierOperation = 'quote' | 'create_shipment' | 'cancel' | 'track';

/** A carrier call that failed: transport, timeout, or an error status from the carrier. */
export class CarrierError extends Error {
  constructor(
    readonly carrier: CarrierName,
    readonly operation: CarrierOperation,
    message: string,
    /** HTTP status, when the carrier answered. */
    readonly status?: number,
    /** Worth trying another carrier or again later (timeouts, 5xx, 429). */
    readonly retryable = true,
  ) {
    super(`${carrier} ${operation}: ${message}`);
    this.name = 'CarrierError';
  }
}
