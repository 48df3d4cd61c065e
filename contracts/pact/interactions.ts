import { createCarrierClient } from '../carriers/index.ts';
import type { CarrierName } from '../domain/shipping.ts';
import { createInventoryClient } from '../inventory/http-client.ts';
import { labelfastInteractions } from './carriers/labelfast.ts';
import { parcellyInteractions } from './carriers/parcelly.ts';
import { steppeInteractions } from './carriers/steppe.ts';
import { inventoryInteractions } from './inventory.ts';
import type { CarrierInteraction, ClientOptions, ConsumerInteraction, ProviderName } from './types.ts';

/** Every consumer interaction of the platform, by provider (the contract catalogue). */
export const CARRIER_INTERACTIONS: Record<CarrierName, CarrierInteraction[]> = {
  parcelly: parcellyInteractions,
  labelfast: labelfastInteractions,
  steppe: steppeInteractions,
};

export const CARRIER_PROVIDERS = Object.keys(CARRIER_INTERACTIONS) as CarrierName[];

export function isCarrier(provider: ProviderName): provider is CarrierName {
  return provider in CARRIER_INTERACTIONS;
}

export const PROVIDERS: ProviderName[] = [...CARRIER_PROVIDERS, 'inventory'];

/** The interactions of a provider, typed loosely for the runner. */
export function interactionsOf(provider: ProviderName): ConsumerInteraction<unknown>[] {
  const list = provider === 'inventory' ? inventoryInteractions : CARRIER_INTERACTIONS[provider];
  return list as ConsumerInteraction<unknown>[];
}

/** The platform's REAL client of a provider, pointed at a base URL (a Pact mock, a provider). */
export function platformClient(
  provider: ProviderName,
  baseUrl: string,
  apiKey: string,
  options: ClientOptions = {},
): unknown {
  if (provider === 'inventory') return createInventoryClient({ baseUrl, apiKey, timeoutMs: 5_000 });
  return createCarrierClient(provider, {
    baseUrl,
    apiKey,
    timeoutMs: 5_000,
    weightUnitBug: options.weightUnitBug,
  });
}
