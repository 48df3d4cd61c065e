import { MatchersV3 } from '@pact-foundation/pact';

/**
 * The few matcher shapes the specs use, named for what they mean on the wire. Values in
 * a contract are examples: the provider may answer any value of the same kind.
 */
export const { like, integer, decimal, number, string, boolean, regex, eachLike, uuid } = MatchersV3;

/** ISO 8601 instants as JavaScript's toISOString writes them (what every sandbox API returns). */
export const ISO_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSX";

export function isoDateTime(example: string) {
  return MatchersV3.datetime(ISO_FORMAT, example);
}

/** A string enum: any one of the values, nothing else (a renamed status value breaks it). */
export function oneOf<T extends string>(values: readonly T[], example: T) {
  if (!values.includes(example)) throw new Error(`example "${example}" is not one of ${values.join(', ')}`);
  return MatchersV3.regex(`^(${values.map(escapeRegex).join('|')})$`, example);
}

export const postcode = (example: string) => MatchersV3.regex('^[0-9]{6}$', example);
export const countryCode = (example: string) => MatchersV3.regex('^[A-Z]{2}$', example);
export const currencyCode = (example: string) => MatchersV3.regex('^[A-Z]{3}$', example);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
