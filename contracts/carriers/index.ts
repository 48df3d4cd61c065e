import type { CarrierName } from '../domain/shipping.ts';
import type { CarrierClient, CarrierClientOptions } from './client.ts';
import { createLabelfastClient } from './labelfast/client.ts';
import { createParcellyClient } from './parcelly/client.ts';
import { createSteppeClient, type SteppeClientOptions } from './steppe/client.ts';

export type { CallOptions, CarrierClient, CarrierClientOptions, CarrierOperation } from './client.ts';
export { CarrierError } from './client.ts';
export { GRAMS, KILOGRAMS_IN_GRAMS_FIELD, type SteppeUnits } from './steppe/units.ts';
export { createLabelfastClient, createParcellyClient, createSteppeClient };

export interface CreateCarrierClientOptions extends CarrierClientOptions {
  /**
   * The canary's `unit-mismatch` defect. Only steppe takes integer grams, so only the
   * steppe client changes: it puts kilograms in the grams field. Ignored by the others.
   */
  weightUnitBug?: boolean;
  /** steppe only: an explicit unit strategy. */
  units?: SteppeClientOptions['units'];
}

/** The platform's client for any sandbox carrier by name. */
export function createCarrierClient(name: CarrierName, options: CreateCarrierClientOptions): CarrierClient {
  switch (name) {
    case 'parcelly':
      return createParcellyClient(options);
    case 'labelfast':
      return createLabelfastClient(options);
    case 'steppe':
      return createSteppeClient(options);
    default:
      throw new Error(`unknown carrier "${name as string}"`);
  }
}
