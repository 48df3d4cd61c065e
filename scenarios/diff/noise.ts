import type { OrderReport } from '../platform/types.ts';
import { type NormalizeOptions, normalizeState, orderChanges } from './normalize.ts';

/**
 * Diffy's idea: replay the same traffic at two instances of the *baseline*. Whatever
 * differs between them cannot be the candidate's fault (random tie-breaks, timing,
 * ids), so a field that differs there is noise and is ignored in the candidate diff.
 *
 * A field is noisy when it differs between the baselines in more than `minShare` of
 * the orders both saw (default 0: any difference at all), so a single flaky order is
 * enough to discount a field; raise it to demand a stronger showing.
 */
export interface NoiseModel {
  fields: Set<string>;
  /** Per field, the share of orders in which the two baselines disagreed. */
  rates: Record<string, number>;
  compared: number;
}

export function learnNoise(
  baseline: ReadonlyMap<string, Pick<OrderReport, 'fields'>>,
  secondBaseline: ReadonlyMap<string, Pick<OrderReport, 'fields'>>,
  options: NormalizeOptions & { minShare?: number } = {},
): NoiseModel {
  const counts = new Map<string, number>();
  let compared = 0;
  for (const [id, first] of baseline) {
    const second = secondBaseline.get(id);
    if (!second) continue;
    compared++;
    for (const { field } of orderChanges(
      normalizeState(first.fields, options),
      normalizeState(second.fields, options),
    )) {
      counts.set(field, (counts.get(field) ?? 0) + 1);
    }
  }
  const rates: Record<string, number> = {};
  const fields = new Set<string>();
  for (const [field, count] of counts) {
    rates[field] = count / Math.max(compared, 1);
    if (rates[field] > (options.minShare ?? 0)) fields.add(field);
  }
  return { fields, rates, compared };
}
