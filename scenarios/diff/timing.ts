import type { Scalar } from '../platform/types.ts';
import type { FieldChange } from './normalize.ts';

/**
 * Differences that say when a build got to an order, not what it decided. On a virtual
 * clock every real millisecond of scheduling is `speed` virtual ones: under CPU load a
 * build that reaches an order two real seconds later at 1440× is 48 virtual minutes
 * later, and near the warehouse cutoff its parcel leaves a day later — other slack
 * hours, perhaps a missed cutoff, with the same carrier, service and price. Both
 * builds run on the same shared clock, so the later one really was later; the decision
 * did not change. Such an order's differences are timing noise when:
 * - only time-derived fields differ (slack hours, cutoffMissed, onTime), and
 * - the build that dispatched later is the one that finished processing later, or both
 *   dispatched together and the slack moved by at most the hour it is rounded to.
 * A candidate that is slower on every order is the scenarios' and the canary's to
 * judge (latency, cutoff misses); the replay judges decisions.
 */
export const TIME_DERIVED_FIELDS: ReadonlySet<string> = new Set([
  'deliverySlackHours',
  'etaSlackHours',
  'cutoffMissed',
  'onTime',
]);

export function explainedByTiming(
  baseline: Readonly<Record<string, Scalar | undefined>>,
  candidate: Readonly<Record<string, Scalar | undefined>>,
  changes: readonly FieldChange[],
): boolean {
  if (changes.length === 0 || !changes.every((c) => TIME_DERIVED_FIELDS.has(c.field))) return false;
  const dispatch = delta(baseline.dispatchAt, candidate.dispatchAt);
  const processed = delta(baseline.processedAt, candidate.processedAt);
  if (dispatch === undefined || processed === undefined) return false;
  if (dispatch !== 0) return Math.sign(dispatch) === Math.sign(processed);
  return changes.every((c) => {
    const step = Number(c.to) - Number(c.from);
    return Number.isFinite(step) && Math.abs(step) <= 1;
  });
}

function delta(from: Scalar | undefined, to: Scalar | undefined): number | undefined {
  const a = typeof from === 'string' ? Date.parse(from) : Number.NaN;
  const b = typeof to === 'string' ? Date.parse(to) : Number.NaN;
  return Number.isFinite(a) && Number.isFinite(b) ? b - a : undefined;
}
