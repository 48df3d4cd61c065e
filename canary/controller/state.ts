import type { ActuatorOp } from '../actuators/actuator.ts';
import type { CanaryEvent } from '../journal/events.ts';
import type { EvaluationRecord } from '../judges/inconclusive-budget.ts';
import type { JudgeResult, MetricSeries as JudgeSeries } from '../judges/types.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import { advance, type Baseline } from '../sources/deltas.ts';
import type { SourceSnapshot } from '../sources/source.ts';
import type { RolloutConfig } from './config.ts';
import { type Action, evaluationRecord, type StepState } from './decide.ts';
import { appendInterval, emptySeries, ordersIn, type Versions } from './series.ts';

/**
 * The rollout's whole state as a fold over its journal events, pure. The live loop
 * applies each event as it appends it, and a resumed run applies the journal it finds:
 * one function, so both reach the same series, step and pending action.
 */

export interface StepRecord {
  index: number;
  weight: number;
  startedAt: number;
  endedAt?: number;
  canaryOrders: number;
  baselineOrders: number;
  outcome: 'continued' | 'promoted' | 'rolled-back' | 'held' | 'in-progress';
}

export interface EvaluationPoint {
  t: number;
  result: JudgeResult;
  action: Action;
  stepIndex: number;
  weight: number;
}

export interface RolloutRun {
  started?: Extract<CanaryEvent, { type: 'canary.started' }>;
  /** What the deltas diff the next snapshot against. */
  baseline?: Baseline;
  series: JudgeSeries[];
  /** -1 until the first step's weight is confirmed by the actuator. */
  stepIndex: number;
  stepStartedAt: number;
  stepSamples: number;
  evaluations: EvaluationRecord[];
  points: EvaluationPoint[];
  steps: StepRecord[];
  /** A non-wait action decided but not yet journaled as a decision (killed in between). */
  undecided?: { action: Action; stepIndex: number; weight: number };
  /** An `advance` decision whose weight change is not yet confirmed. */
  advancing?: { toStep: number; weight: number };
  /** The terminal decision, once journaled. */
  decision?: Extract<CanaryEvent, { type: 'canary.decision' }>;
  /** An actuator call journaled as `actuating` with no `actuated` after it. */
  inFlight?: { op: ActuatorOp; weight?: number; stepIndex?: number };
  /** Promote / rollback confirmed by the actuator. */
  actuatedTerminal?: { op: ActuatorOp; t: number };
  finished?: Extract<CanaryEvent, { type: 'canary.finished' }>;
  lastActuationFailure?: Extract<CanaryEvent, { type: 'canary.actuation-failed' }>;
  observations: number;
  /** The latest snapshot: why a side had no data (the query or selector that found nothing). */
  lastSnapshot?: SourceSnapshot;
}

export function initialRun(metrics: readonly MetricDecl[]): RolloutRun {
  return {
    series: emptySeries(metrics),
    stepIndex: -1,
    stepStartedAt: 0,
    stepSamples: 0,
    evaluations: [],
    points: [],
    steps: [],
    observations: 0,
  };
}

export function stepState(run: RolloutRun): StepState {
  return {
    stepIndex: run.stepIndex,
    stepStartedAt: run.stepStartedAt,
    startedAt: run.started?.t ?? 0,
    stepSamples: run.stepSamples,
    evaluations: run.evaluations,
  };
}

export function currentWeight(run: RolloutRun, config: RolloutConfig): number {
  return run.stepIndex >= 0 ? config.steps[run.stepIndex]! : 0;
}

const TERMINAL = new Set(['promote', 'rollback', 'hold']);

export function isTerminal(action: Action): boolean {
  return TERMINAL.has(action.type);
}

/** Applies one event. Returns a new run (the input is not changed where it matters: arrays are replaced). */
export function applyEvent(run: RolloutRun, event: CanaryEvent, versions: Versions): RolloutRun {
  switch (event.type) {
    case 'canary.started':
      return { ...run, started: event };
    case 'canary.observation': {
      const first = run.baseline === undefined;
      const step = advance(run.baseline, event.snapshot);
      const next = {
        ...run,
        baseline: step.baseline,
        observations: run.observations + 1,
        lastSnapshot: event.snapshot,
      };
      // The first snapshot is the starting point; and before the first step's weight is
      // set, the canary has no traffic worth judging.
      if (first || run.stepIndex < 0) return next;
      const canary = ordersIn(step.interval, versions.canary);
      const baseline = ordersIn(step.interval, versions.baseline);
      const steps = run.steps.map((s, i) =>
        i === run.steps.length - 1
          ? { ...s, canaryOrders: s.canaryOrders + canary, baselineOrders: s.baselineOrders + baseline }
          : s,
      );
      return {
        ...next,
        series: appendInterval(run.series, step.interval, versions),
        stepSamples: run.stepSamples + canary,
        steps,
      };
    }
    case 'canary.evaluation': {
      const point = {
        t: event.t,
        result: event.result,
        action: event.action,
        stepIndex: event.stepIndex,
        weight: event.weight,
      };
      return {
        ...run,
        evaluations: [...run.evaluations, evaluationRecord(event.result, event.errored === true)],
        points: [...run.points, point],
        undecided:
          event.action.type === 'wait'
            ? undefined
            : { action: event.action, stepIndex: event.stepIndex, weight: event.weight },
      };
    }
    case 'canary.decision': {
      const { action } = event;
      if (isTerminal(action)) return { ...run, undecided: undefined, decision: event };
      if (action.type === 'advance')
        return { ...run, undecided: undefined, advancing: { toStep: action.toStep, weight: action.weight } };
      return { ...run, undecided: undefined };
    }
    case 'canary.actuating':
      return { ...run, inFlight: { op: event.op, weight: event.weight, stepIndex: event.stepIndex } };
    case 'canary.actuated': {
      const cleared = { ...run, inFlight: undefined, lastActuationFailure: undefined };
      if (event.op === 'set-weight' && event.stepIndex !== undefined && event.stepIndex !== run.stepIndex) {
        const steps = run.steps.map((s, i) =>
          i === run.steps.length - 1 ? { ...s, endedAt: event.t, outcome: 'continued' as const } : s,
        );
        steps.push({
          index: event.stepIndex,
          weight: event.weight ?? 0,
          startedAt: event.t,
          canaryOrders: 0,
          baselineOrders: 0,
          outcome: 'in-progress',
        });
        return {
          ...cleared,
          advancing: undefined,
          stepIndex: event.stepIndex,
          stepStartedAt: event.t,
          stepSamples: 0,
          steps,
        };
      }
      if (event.op === 'promote' || event.op === 'rollback') {
        return { ...cleared, actuatedTerminal: { op: event.op, t: event.t } };
      }
      return cleared;
    }
    case 'canary.actuation-failed':
      return { ...run, lastActuationFailure: event };
    case 'canary.finished': {
      const outcome =
        event.outcome === 'promoted' ? 'promoted' : event.outcome === 'rolled_back' ? 'rolled-back' : 'held';
      const steps = run.steps.map((s, i) =>
        i === run.steps.length - 1
          ? { ...s, endedAt: event.t, outcome: outcome as StepRecord['outcome'] }
          : s,
      );
      return { ...run, finished: event, steps };
    }
    default:
      return run;
  }
}

export function replay(
  events: readonly CanaryEvent[],
  metrics: readonly MetricDecl[],
  versions: Versions,
): RolloutRun {
  let run = initialRun(metrics);
  for (const event of events) run = applyEvent(run, event, versions);
  return run;
}
