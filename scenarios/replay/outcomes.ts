import type { OrderReport } from '../platform/types.ts';

/**
 * What the platform did with the orders it accepted, by outcome: `shipped`, or the
 * reason it could not process them (`no_carrier`, `out_of_stock`, `error`), or
 * `unsettled` for one still in progress when reconciliation ended. An accepted order is
 * not a processed one: a run whose every order ended `no_carrier` accepted them all.
 */
export interface ProcessingOutcomes {
  shipped: number;
  /** Accepted orders the platform could not process, by outcome. */
  notProcessed: Record<string, number>;
}

export function processingOutcomes(
  states: ReadonlyMap<string, Pick<OrderReport, 'outcome'>>,
): ProcessingOutcomes {
  const out: ProcessingOutcomes = { shipped: 0, notProcessed: {} };
  for (const state of states.values()) {
    const outcome = state.outcome ?? 'unsettled';
    if (outcome === 'shipped') out.shipped++;
    else out.notProcessed[outcome] = (out.notProcessed[outcome] ?? 0) + 1;
  }
  return out;
}

/** "no_carrier 40, error 9" (largest first), or '' when every order shipped. */
export function describeNotProcessed(outcomes: ProcessingOutcomes): string {
  return Object.entries(outcomes.notProcessed)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
}
