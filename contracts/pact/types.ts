import type { CarrierClient } from '../carriers/client.ts';
import type { CarrierName } from '../domain/shipping.ts';
import type { InventoryClient } from '../inventory/client.ts';

/** The consumer of every pact: the platform's order pipeline. */
export const CONSUMER = 'shipgate-platform';

export type ProviderName = CarrierName | 'inventory';

export interface ProviderStateSpec {
  /** A state the provider understands (POST /admin/provider-state), e.g. "shipment shp_… is in_transit". */
  name: string;
  params?: Record<string, unknown>;
}

/** A request or response with Pact matchers in place of literal values where the value may vary. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, unknown>;
  body?: unknown;
}

export interface ResponseSpec {
  status: number;
  headers?: Record<string, unknown>;
  body?: unknown;
}

/**
 * One interaction of a consumer spec, as data: what the platform sends and expects, and
 * how the platform's REAL client produces that request (`exercise`). The request the
 * client actually sends is what the Pact mock checks, so a client defect shows here.
 */
export interface ConsumerInteraction<C> {
  /** Stable id, e.g. "steppe/quote", used as the report's check id. */
  id: string;
  provider: ProviderName;
  /** Pact's "upon receiving" description; unique per provider. */
  description: string;
  states: ProviderStateSpec[];
  request: RequestSpec;
  response: ResponseSpec;
  exercise(client: C): Promise<void>;
}

export type CarrierInteraction = ConsumerInteraction<CarrierClient>;
export type InventoryInteraction = ConsumerInteraction<InventoryClient>;

/** Options a consumer run passes to the platform's clients (the canary's defect flags). */
export interface ClientOptions {
  /** The `unit-mismatch` defect: the steppe client sends kilograms in the grams field. */
  weightUnitBug?: boolean;
}
