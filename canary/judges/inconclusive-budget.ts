import type { InconclusiveKind, Verdict } from './types.ts';

/**
 * The bounded budget of inconclusive evaluations (design: "Missing data is never a pass.
 * It is inconclusive, held within a bounded budget, then treated by policy"). A pure
 * function of the evaluation history, so a harness resumed from its journal reaches the
 * same decision.
 *
 * Counts the trailing run of consecutive evaluations that errored (the source failed)
 * or were inconclusive for a counted reason (default: missing data). Any other
 * evaluation ends the run. Once the run reaches `maxConsecutive`, the policy applies:
 * `rollback` (default) or `hold` (stay at the current weight and page a human). There is
 * deliberately no "promote" policy.
 */

export interface EvaluationRecord {
  verdict: Verdict;
  inconclusiveKind?: InconclusiveKind;
  /** The evaluation could not run (query error, timeout); implies no verdict was reached. */
  errored?: boolean;
}

export interface InconclusiveBudgetPolicy {
  /** Consecutive counted evaluations that exhaust the budget (default 5, like Argo Rollouts' consecutiveErrorLimit 4 + 1). */
  maxConsecutive: number;
  onExhausted: 'rollback' | 'hold';
  /** Inconclusive kinds that consume the budget (default: missing data only). */
  counts: readonly InconclusiveKind[];
}

export const DEFAULT_INCONCLUSIVE_BUDGET: Readonly<InconclusiveBudgetPolicy> = Object.freeze({
  maxConsecutive: 5,
  onExhausted: 'rollback',
  counts: Object.freeze(['missing-data'] as InconclusiveKind[]),
});

export interface BudgetState {
  consecutive: number;
  remaining: number;
  exhausted: boolean;
  action: 'continue' | 'rollback' | 'hold';
  reason: string;
}

export function inconclusiveBudget(
  history: readonly EvaluationRecord[],
  policy: Partial<InconclusiveBudgetPolicy> = {},
): BudgetState {
  const p = { ...DEFAULT_INCONCLUSIVE_BUDGET, ...policy };
  if (!(Number.isInteger(p.maxConsecutive) && p.maxConsecutive >= 1)) {
    throw new RangeError(`maxConsecutive must be a positive integer, got ${p.maxConsecutive}`);
  }
  let consecutive = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i]!;
    const counted =
      r.errored === true ||
      (r.verdict === 'inconclusive' && p.counts.includes(r.inconclusiveKind ?? 'missing-data'));
    if (!counted) break;
    consecutive++;
  }
  const exhausted = consecutive >= p.maxConsecutive;
  const remaining = Math.max(0, p.maxConsecutive - consecutive);
  return {
    consecutive,
    remaining,
    exhausted,
    action: exhausted ? p.onExhausted : 'continue',
    reason: exhausted
      ? `${consecutive} consecutive evaluations without usable data (budget ${p.maxConsecutive}); policy: ${p.onExhausted}.`
      : consecutive === 0
        ? 'The latest evaluation had usable data.'
        : `${consecutive} consecutive evaluation(s) without usable data; ${remaining} more before the ${p.onExhausted} policy applies.`,
  };
}
