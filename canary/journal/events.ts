import type { ActuatorOp, ActuatorState } from '../actuators/actuator.ts';
import type { RolloutConfig } from '../controller/config.ts';
import type { Action } from '../controller/decide.ts';
import type { Versions } from '../controller/series.ts';
import type { JudgeResult } from '../judges/types.ts';
import type { SourceSnapshot } from '../sources/source.ts';

/**
 * The canary rollout's journal events, one JSON line each in the run folder's
 * journal.jsonl. `t` is the controller's clock (virtual ms against the sandbox); the
 * run folder adds `at`, the wall time of the write. The journal is the rollout's
 * memory: replaying it rebuilds every series and the step state (controller/state.ts).
 *
 * Intent before action: `decision` (what and why) → `actuating` (about to call the
 * actuator) → `actuated` (the target confirmed). A journal ending in `actuating` means
 * the call may or may not have landed; resume re-issues the same idempotent call.
 */
export type CanaryEvent =
  | {
      type: 'canary.started';
      t: number;
      config: RolloutConfig;
      versions: Versions;
      /** Metric ids judged, in order. */
      metrics: string[];
      source: string;
      actuator: string;
      judge: string;
    }
  | { type: 'canary.resumed'; t: number; events: number; repairedBytes: number }
  /** Cumulative values as the source read them; the deltas are recomputed on replay. */
  | { type: 'canary.observation'; t: number; snapshot: SourceSnapshot }
  | {
      type: 'canary.evaluation';
      t: number;
      /** The snapshot could not be taken at all (the source threw). */
      errored?: boolean;
      result: JudgeResult;
      /** What decide() concluded from it; a non-wait action is followed by a `canary.decision`. */
      action: Action;
      stepIndex: number;
      weight: number;
    }
  | { type: 'canary.decision'; t: number; action: Action; stepIndex: number; weight: number }
  | { type: 'canary.actuating'; t: number; op: ActuatorOp; weight?: number; stepIndex?: number }
  | {
      type: 'canary.actuated';
      t: number;
      op: ActuatorOp;
      weight?: number;
      stepIndex?: number;
      state: ActuatorState;
    }
  | {
      type: 'canary.actuation-failed';
      t: number;
      op: ActuatorOp;
      weight?: number;
      error: string;
      code?: string;
    }
  | {
      type: 'canary.finished';
      t: number;
      outcome: 'promoted' | 'rolled_back' | 'held';
      reason: string;
    }
  | { type: 'canary.blast-radius'; t: number; served: number; affected: number; csvFile: string };

export type CanaryEventType = CanaryEvent['type'];

export const CANARY_EVENT_TYPES: readonly CanaryEventType[] = [
  'canary.started',
  'canary.resumed',
  'canary.observation',
  'canary.evaluation',
  'canary.decision',
  'canary.actuating',
  'canary.actuated',
  'canary.actuation-failed',
  'canary.finished',
  'canary.blast-radius',
];
