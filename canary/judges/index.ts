/**
 * shipgate's canary judges: pure functions, data in, verdict with evidence out.
 *
 * - `sequentialJudge` — the default: anytime-valid split-by-share e-process (see sequential.ts).
 * - `thresholdJudge` — absolute SLO bounds on the canary (Flagger / Argo Rollouts style).
 * - `mannWhitneyJudge` — fixed-sample comparative test with Kayenta-style scoring.
 * - `inconclusiveBudget` — what to do after repeated evaluations without usable data.
 */

export { mannWhitneyJudge } from './comparative.ts';
export { DEFAULT_JUDGE_CONFIG, resolveConfig } from './config.ts';
export {
  type BudgetState,
  DEFAULT_INCONCLUSIVE_BUDGET,
  type EvaluationRecord,
  type InconclusiveBudgetPolicy,
  inconclusiveBudget,
} from './inconclusive-budget.ts';
export { bucketCounts, histogramQuantile } from './latency.ts';
export { LatencyShiftEProcess, type ShiftPoint } from './latency-shift.ts';
export { logMeanExp } from './log-mixture.ts';
export { type MannWhitneyResult, mannWhitneyU } from './mann-whitney.ts';
export { sequentialJudge } from './sequential.ts';
export { type PriorPoint, SplitBinomialEProcess } from './split-binomial.ts';
export { thresholdJudge } from './threshold.ts';
export type * from './types.ts';

import { mannWhitneyJudge } from './comparative.ts';
import { sequentialJudge } from './sequential.ts';
import { thresholdJudge } from './threshold.ts';
import type { Judge } from './types.ts';

/** Judges by name, for config (`judge: 'sequential' | 'threshold' | 'mann-whitney'`). */
export const JUDGES: Readonly<Record<'sequential' | 'threshold' | 'mann-whitney', Judge>> = Object.freeze({
  sequential: sequentialJudge,
  threshold: thresholdJudge,
  'mann-whitney': mannWhitneyJudge,
});
