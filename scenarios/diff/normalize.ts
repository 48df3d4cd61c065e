import type { Scalar } from '../platform/types.ts';

/**
 * Normalisation of one order's final state before comparison: what must be equal for
 * "the candidate made the same decision" and nothing that differs by construction.
 *
 * Dropped: ids minted per run (shipmentId, trackingNumber), the build's version, and
 * absolute times (each target runs its own virtual clock, so timestamps never match).
 * Times that matter are kept relative to the order's own promise, in whole hours:
 * `etaSlackHours` (promise minus predicted delivery) and `deliverySlackHours`.
 * Prices are rounded (floating-point and currency rounding are not decisions).
 */
export type { Scalar };
export type NormalizedState = Record<string, Scalar>;

export const ALWAYS_DIFFERENT_FIELDS = [
  'orderId',
  'version',
  'shipmentId',
  'trackingNumber',
  'acceptedAt',
  'processedAt',
  'processingMs',
  'promisedBy',
  'dispatchAt',
  'predictedDeliveryAt',
  'deliveredAt',
] as const;

export interface NormalizeOptions {
  /** More fields to drop, beyond ALWAYS_DIFFERENT_FIELDS. */
  drop?: readonly string[];
  /**
   * The decision fields the platform's adapter names: only these are compared (after
   * the slack hours are derived). Undefined: every field, less ALWAYS_DIFFERENT_FIELDS.
   */
  fields?: readonly string[];
  /** Decimal places prices are rounded to (default 2). */
  pricePrecision?: number;
}

const HOUR = 3_600_000;

export function normalizeState(
  state: Readonly<Record<string, Scalar | undefined>>,
  options: NormalizeOptions = {},
): NormalizedState {
  const drop = new Set<string>([...ALWAYS_DIFFERENT_FIELDS, ...(options.drop ?? [])]);
  const keep = options.fields ? new Set(options.fields) : undefined;
  const out: NormalizedState = {};
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined || (keep ? !keep.has(key) : drop.has(key))) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : (value as Scalar);
  }
  const scale = 10 ** (options.pricePrecision ?? 2);
  for (const key of ['price', 'value']) {
    if (typeof out[key] === 'number') out[key] = Math.round((out[key] as number) * scale) / scale;
  }
  const promise = typeof state.promisedBy === 'string' ? Date.parse(state.promisedBy) : Number.NaN;
  const slack = (iso: Scalar | undefined) =>
    typeof iso === 'string' && Number.isFinite(promise)
      ? Math.round((promise - Date.parse(iso)) / HOUR)
      : undefined;
  const wanted = (name: string) => (keep ? keep.has(name) : !drop.has(name));
  const eta = slack(state.predictedDeliveryAt);
  if (eta !== undefined && wanted('etaSlackHours')) out.etaSlackHours = eta;
  const delivered = slack(state.deliveredAt);
  if (delivered !== undefined && wanted('deliverySlackHours')) out.deliverySlackHours = delivered;
  return out;
}

/** Fields whose values differ between two normalised states (a field missing on one side differs). */
export function differingFields(a: NormalizedState, b: NormalizedState): string[] {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields].filter((field) => !Object.is(a[field] ?? null, b[field] ?? null)).sort();
}

export function render(value: Scalar | undefined): string {
  return value === undefined || value === null ? '(none)' : String(value);
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

/**
 * What differs for one order, as a reviewer would put it. When the order's fate differs
 * (status or outcome), everything else — carrier, price, cutoff, ETA, reason — is a
 * consequence (a failed order has no carrier), so only the status change is reported,
 * rendered with its outcome: `shipped→failed (error)`. Likewise a changed carrier
 * explains a changed service code and price.
 */
export function orderChanges(a: NormalizedState, b: NormalizedState): FieldChange[] {
  const fields = differingFields(a, b);
  if (fields.includes('status') || fields.includes('outcome')) {
    return [{ field: 'status', from: fate(a), to: fate(b) }];
  }
  // A carrier's service code and price belong to that carrier: with another carrier they
  // differ by construction. The ETA is kept: arriving later is the harm.
  const carrierChanged = fields.includes('carrier');
  return fields
    .filter((field) => !(carrierChanged && CARRIER_SPECIFIC.has(field)))
    .map((field) => ({ field, from: render(a[field]), to: render(b[field]) }));
}

const CARRIER_SPECIFIC = new Set(['service', 'price']);

function fate(state: NormalizedState): string {
  const status = render(state.status);
  const outcome = state.outcome;
  return outcome === undefined || outcome === null || outcome === state.status
    ? status
    : `${status} (${outcome})`;
}
