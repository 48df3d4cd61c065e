import { type EvaluationRecord, inconclusiveBudget } from '../judges/inconclusive-budget.ts';
import type { JudgeResult } from '../judges/types.ts';
import type { RolloutConfig } from './config.ts';

/**
 * The rollout's decision rule, pure: where the rollout stands, the judge's latest
 * verdict, the config and the time in; the next action out. No I/O and no clock of its
 * own, so every transition is unit-tested and a resumed rollout decides exactly as the
 * one that was killed would have.
 *
 * Order of precedence (the first that applies wins):
 * 1. the judge failed → roll back (leading indicators fail long before the lagging
 *    on-time rate can; whichever metric fails, the rollout stops);
 * 2. the inconclusive budget is exhausted → its policy (rollback by default, or hold);
 * 3. the maximum duration has passed without a promotion → roll back: the rollout ran
 *    out of time to gather evidence, and no evidence is never a pass;
 * 4. the latest data is missing → wait (within the budget, counted by step 2);
 * 5. the step has lasted its minimum time and seen its minimum canary orders:
 *    - last step and the judge passed → promote (the only way to promote);
 *    - earlier step and no alarm → advance to the next weight (the judge is
 *      anytime-valid, so it keeps judging across steps with no penalty for looking);
 *      into the last step only on a pass (at 100% nothing is left to compare with);
 * 6. otherwise wait.
 */

export interface StepState {
  /** Index into config.steps of the current step. */
  stepIndex: number;
  /** When the current step's weight took effect (controller clock, ms). */
  stepStartedAt: number;
  /** When the rollout started (controller clock, ms). */
  startedAt: number;
  /** Canary orders observed since the current step began. */
  stepSamples: number;
  /** Earlier evaluations, oldest first (not including the one being decided on). */
  evaluations: readonly EvaluationRecord[];
}

export type Action =
  | { type: 'wait'; reason: string }
  | { type: 'advance'; toStep: number; weight: number; reason: string }
  | { type: 'promote'; reason: string }
  | {
      type: 'rollback';
      /** `config-error`: a metric's query matched no series at all (no-series.ts). */
      cause: 'judge-failed' | 'inconclusive-budget' | 'max-duration' | 'config-error';
      reason: string;
      /** Metric ids whose evidence failed, when the judge decided it. */
      triggeredBy?: string[];
    }
  | { type: 'hold'; cause: 'inconclusive-budget'; reason: string };

export type ActionType = Action['type'];

export function evaluationRecord(result: JudgeResult, errored = false): EvaluationRecord {
  return {
    verdict: result.verdict,
    ...(result.inconclusiveKind ? { inconclusiveKind: result.inconclusiveKind } : {}),
    ...(errored ? { errored } : {}),
  };
}

export function decide(
  state: StepState,
  result: JudgeResult,
  config: RolloutConfig,
  now: number,
  errored = false,
): Action {
  if (result.verdict === 'fail') {
    const triggeredBy = result.metrics.filter((m) => m.verdict === 'fail').map((m) => m.metricId);
    return { type: 'rollback', cause: 'judge-failed', reason: result.reason, triggeredBy };
  }

  const budget = inconclusiveBudget(
    [...state.evaluations, evaluationRecord(result, errored)],
    config.inconclusive,
  );
  if (budget.exhausted) {
    return budget.action === 'hold'
      ? { type: 'hold', cause: 'inconclusive-budget', reason: budget.reason }
      : { type: 'rollback', cause: 'inconclusive-budget', reason: budget.reason };
  }

  const elapsed = now - state.startedAt;
  const lastStep = state.stepIndex >= config.steps.length - 1;
  const stepElapsed = now - state.stepStartedAt;
  const stepDone = stepElapsed >= config.minStepMs && state.stepSamples >= config.minStepSamples;

  // A pass at the last step wins over the deadline: the evidence is there.
  if (lastStep && stepDone && result.verdict === 'pass' && !errored) {
    return {
      type: 'promote',
      reason: `Step ${state.stepIndex + 1} of ${config.steps.length} (${config.steps[state.stepIndex]}%) complete and ${lowerFirst(result.reason)}`,
    };
  }
  if (elapsed >= config.maxTotalMs) {
    return {
      type: 'rollback',
      cause: 'max-duration',
      reason: `The rollout reached its maximum duration (${minutes(config.maxTotalMs)}) without enough evidence to promote; ${lowerFirst(result.reason)}`,
    };
  }
  if (errored || (result.verdict === 'inconclusive' && result.inconclusiveKind === 'missing-data')) {
    return { type: 'wait', reason: `Waiting for data: ${lowerFirst(budget.reason)}` };
  }
  if (!stepDone) {
    const needs: string[] = [];
    if (stepElapsed < config.minStepMs) needs.push(`${minutes(config.minStepMs - stepElapsed)} more`);
    if (state.stepSamples < config.minStepSamples)
      needs.push(`${config.minStepSamples - state.stepSamples} more canary orders`);
    return { type: 'wait', reason: `Step ${state.stepIndex + 1} needs ${needs.join(' and ')}.` };
  }
  if (lastStep) {
    return {
      type: 'wait',
      reason: `Last step complete; waiting for the judge to pass: ${lowerFirst(result.reason)}`,
    };
  }
  const toStep = state.stepIndex + 1;
  // Into the last step only on a pass: at 100% there is no baseline traffic left to
  // compare with, so all the evidence a promotion rests on must be gathered before it.
  if (toStep === config.steps.length - 1 && result.verdict !== 'pass') {
    return {
      type: 'wait',
      reason: `Step ${state.stepIndex + 1} complete; the last step (${config.steps[toStep]}%) needs a pass first: ${lowerFirst(result.reason)}`,
    };
  }
  return {
    type: 'advance',
    toStep,
    weight: config.steps[toStep]!,
    reason: `Step ${state.stepIndex + 1} (${config.steps[state.stepIndex]}%) complete with ${state.stepSamples} canary orders and no evidence of harm; advancing to ${config.steps[toStep]}%.`,
  };
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round((ms / 60_000) * 10) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}
