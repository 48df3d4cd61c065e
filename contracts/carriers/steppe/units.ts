import { MIN_GRAMS } from './api.ts';

/**
 * How the steppe client turns the platform's kilograms and centimetres into steppe's
 * wire units. Injectable so the canary's `unit-mismatch` defect is the same client code
 * with the wrong strategy (kilograms put in the grams field), not a copy of the client.
 */
export interface SteppeUnits {
  readonly name: string;
  /** Value of a package's `weight` field for a parcel of `kg` kilograms. */
  weight(kg: number): number;
}

export const GRAMS: SteppeUnits = {
  name: 'grams',
  // A parcel with its packaging weighs at least MIN_GRAMS.
  weight: (kg) => Math.max(MIN_GRAMS, Math.round(kg * 1000)),
};

/** The defect: kilograms sent where steppe expects integer grams. */
export const KILOGRAMS_IN_GRAMS_FIELD: SteppeUnits = {
  name: 'kilograms in the grams field (unit-mismatch defect)',
  weight: (kg) => kg,
};

/**
 * A nominal box for a parcel whose dimensions the platform does not know: a cube at a
 * typical parcel density of 250 kg/m³, in whole centimetres.
 */
export function nominalBoxCm(kg: number): { length: number; width: number; height: number } {
  const side = Math.min(300, Math.max(1, Math.ceil(Math.cbrt((kg / 250) * 1_000_000))));
  return { length: side, width: side, height: side };
}
