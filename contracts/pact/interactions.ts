import type { CarrierName } from '../domain/shipping.ts';
import { labelfastInteractions } from './carriers/labelfast.ts';
import { parcellyInteractions } from './carriers/parcelly.ts';
import { steppeInteractions } from './carriers/steppe.ts';
import type { CarrierInteraction, ProviderName } from './types.ts';

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
