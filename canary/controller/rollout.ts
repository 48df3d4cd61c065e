import { isShipgateError } from '../../core/errors.ts';
import type { Actuator, ActuatorOp, ActuatorState } from '../actuators/actuator.ts';
import type { CanaryEvent } from '../journal/events.ts';
import type { CanaryJournal } from '../journal/journal.ts';
import { sequentialJudge } from '../judges/index.ts';
import type { Judge, JudgeResult } from '../judges/types.ts';
import { CATALOGUE, type MetricDecl } from '../metrics/catalogue.ts';
import type { MetricSource, SourceSnapshot } from '../sources/source.ts';
import { type RolloutClock, wallClock } from './clock.ts';
import { type RolloutConfig, resolveRollout } from './config.ts';
import { type Action, decide } from './decide.ts';
import { platformVisible, sidesText, unmatchedMetrics } from './no-series.ts';
import type { Versions } from './series.ts';
import { applyEvent, currentWeight, type RolloutRun, replay, stepState } from './state.ts';

/**
 * The rollout loop: the I/O around `decide`. Each interval it takes a snapshot,
 * journals it, judges every series since the rollout began, decides, and actuates —
 * journaling intent before acting. It starts by replaying whatever the journal already
 * holds, so the same call both starts a rollout and resumes a killed one, and a
 * journaled terminal decision is carried out exactly once.
 */

export interface RolloutOptions {
  source: MetricSource;
  /** Wrap it in `withRetries` (actuators/actuator.ts) for production use. */
  actuator: Actuator;
  journal: CanaryJournal;
  /** Default: the whole catalogue. */
  metrics?: readonly MetricDecl[];
  versions?: Versions;
  /** Ignored when resuming: the journaled config wins, so a resumed rollout keeps its rules. */
  config?: Partial<RolloutConfig>;
  judge?: Judge;
  judgeName?: string;
  clock?: RolloutClock;
  signal?: AbortSignal;
  /** Progress hook (CLI output); called after each event is journaled. */
  onEvent?: (event: CanaryEvent, run: RolloutRun) => void;
}

export interface RolloutOutcome {
  outcome: 'promoted' | 'rolled_back' | 'held';
  reason: string;
  /** The terminal decision. */
  action: Action;
  /** Exit code per the design: 0 promoted, 1 rolled back on evidence, 3 inconclusive (budget, deadline, hold). */
  exitCode: 0 | 1 | 3;
  config: RolloutConfig;
  run: RolloutRun;
  /** True when this call picked up a rollout an earlier process had started. */
  resumed: boolean;
}

export const DEFAULT_VERSIONS: Versions = { canary: 'canary', baseline: 'stable' };

/** A resumed rollout keeps the versions it started with, as it keeps its config. */
export function rolloutVersions(journal: Pick<CanaryJournal, 'existing'>, requested?: Versions): Versions {
  const started = journal.existing.find((e) => e.type === 'canary.started');
  return (started?.type === 'canary.started' ? started.versions : undefined) ?? requested ?? DEFAULT_VERSIONS;
}

export async function runRollout(options: RolloutOptions): Promise<RolloutOutcome> {
  const metrics = options.metrics ?? CATALOGUE;
  const versions = rolloutVersions(options.journal, options.versions);
  const clock = options.clock ?? wallClock;
  const judge = options.judge ?? sequentialJudge;
  const { journal, actuator, source, signal } = options;

  let run = replay(journal.existing, metrics, versions);
  const resumed = run.started !== undefined;
  const config = run.started?.config ?? resolveRollout(options.config);
  const emit = (event: CanaryEvent) => {
    journal.append(event);
    run = applyEvent(run, event, versions);
    options.onEvent?.(event, run);
  };

  if (resumed)
    emit({
      type: 'canary.resumed',
      t: clock.now(),
      events: journal.existing.length,
      repairedBytes: journal.repairedBytes,
    });
  else {
    emit({
      type: 'canary.started',
      t: clock.now(),
      config,
      versions,
      metrics: run.series.map((s) => s.metric.id),
      source: source.name,
      actuator: actuator.name,
      judge: options.judgeName ?? 'sequential',
    });
  }

  const actuate = async (op: ActuatorOp, weight?: number, stepIndex?: number): Promise<ActuatorState> => {
    emit({
      type: 'canary.actuating',
      t: clock.now(),
      op,
      ...(weight !== undefined ? { weight } : {}),
      ...(stepIndex !== undefined ? { stepIndex } : {}),
    });
    let state: ActuatorState;
    try {
      state =
        op === 'set-weight'
          ? await actuator.setWeight(weight!)
          : op === 'promote'
            ? await actuator.promote()
            : op === 'rollback'
              ? await actuator.rollback()
              : await actuator.state();
    } catch (error) {
      emit({
        type: 'canary.actuation-failed',
        t: clock.now(),
        op,
        ...(weight !== undefined ? { weight } : {}),
        error: error instanceof Error ? error.message : String(error),
        ...(isShipgateError(error) ? { code: error.code } : {}),
      });
      throw error;
    }
    emit({
      type: 'canary.actuated',
      t: clock.now(),
      op,
      ...(weight !== undefined ? { weight } : {}),
      ...(stepIndex !== undefined ? { stepIndex } : {}),
      state,
    });
    return state;
  };

  const observe = async (): Promise<{ errored: false } | { errored: true; reason: string }> => {
    let snapshot: SourceSnapshot;
    try {
      snapshot = await source.snapshot(metrics, [versions.canary, versions.baseline], { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      return { errored: true, reason: error instanceof Error ? error.message : String(error) };
    }
    emit({ type: 'canary.observation', t: clock.now(), snapshot });
    return { errored: false };
  };

  // Before the first analysis that would act (advance, promote, roll back for lack of
  // data, hold), every metric's query must match something (no-series.ts): its sub-series
  // may appear at different times early on, so waiting analyses do not decide it. A
  // rollback on evidence stands as it is. A resumed rollout that already acted checked.
  let seriesChecked = run.steps.length > 1 || run.decision !== undefined;
  const configError = (action: Action): Action | undefined => {
    const snapshot = run.lastSnapshot;
    if (action.type === 'wait' || (action.type === 'rollback' && action.cause === 'judge-failed')) return;
    if (seriesChecked || !snapshot || !platformVisible(snapshot)) return undefined;
    seriesChecked = true;
    const unmatched = unmatchedMetrics(snapshot, metrics, versions);
    if (unmatched.length === 0) return undefined;
    const reason = `Configuration error: ${unmatched
      .map((u) => `metric ${u.metricId}: ${u.query} matched no series for ${sidesText(u.sides)}`)
      .join('; ')}.`;
    return { type: 'rollback', cause: 'config-error', reason };
  };

  // Every iteration either sleeps one interval or makes progress on a journaled intent,
  // and decide() rolls back past maxTotalMs; the cap is a backstop against a clock
  // that does not move.
  const maxIterations = Math.ceil(config.maxTotalMs / config.intervalMs) * 2 + 100;
  for (let i = 0; i < maxIterations; i++) {
    signal?.throwIfAborted();
    if (run.finished) return outcomeOf(run, config, resumed);
    if (run.inFlight) {
      // Killed (or failed) between `actuating` and `actuated`: the call may have landed.
      // Every actuator call is idempotent, so issue the same one again.
      await actuate(run.inFlight.op, run.inFlight.weight, run.inFlight.stepIndex);
      continue;
    }
    if (run.decision) {
      const action = run.decision.action;
      if (action.type === 'hold')
        emit({ type: 'canary.finished', t: clock.now(), outcome: 'held', reason: action.reason });
      else if (!run.actuatedTerminal) await actuate(action.type === 'promote' ? 'promote' : 'rollback');
      else {
        emit({
          type: 'canary.finished',
          t: clock.now(),
          outcome: action.type === 'promote' ? 'promoted' : 'rolled_back',
          reason: action.reason,
        });
      }
      continue;
    }
    if (run.undecided) {
      emit({ type: 'canary.decision', t: clock.now(), ...run.undecided });
      continue;
    }
    if (run.advancing) {
      await actuate('set-weight', run.advancing.weight, run.advancing.toStep);
      continue;
    }
    if (run.stepIndex < 0) {
      if (run.observations === 0) await observe(); // the starting point of every counter
      await actuate('set-weight', config.steps[0]!, 0);
      continue;
    }

    await clock.sleep(config.intervalMs, signal);
    const observed = await observe();
    const result: JudgeResult = observed.errored
      ? {
          judge: 'sequential',
          verdict: 'inconclusive',
          inconclusiveKind: 'missing-data',
          reason: `The metric source failed: ${observed.reason}`,
          metrics: [],
        }
      : judge({ series: run.series, config: config.judge });
    const now = clock.now();
    const decided = decide(stepState(run), result, config, now, observed.errored);
    const action = (observed.errored ? undefined : configError(decided)) ?? decided;
    emit({
      type: 'canary.evaluation',
      t: now,
      ...(observed.errored ? { errored: true } : {}),
      result,
      action,
      stepIndex: run.stepIndex,
      weight: currentWeight(run, config),
    });
  }
  // Backstop reached: roll back, journaled like any other decision.
  const action: Action = {
    type: 'rollback',
    cause: 'max-duration',
    reason: `The rollout did not finish within ${maxIterations} analysis iterations.`,
  };
  emit({
    type: 'canary.decision',
    t: clock.now(),
    action,
    stepIndex: run.stepIndex,
    weight: currentWeight(run, config),
  });
  await actuate('rollback');
  emit({ type: 'canary.finished', t: clock.now(), outcome: 'rolled_back', reason: action.reason });
  return outcomeOf(run, config, resumed);
}

function outcomeOf(run: RolloutRun, config: RolloutConfig, resumed: boolean): RolloutOutcome {
  const finished = run.finished!;
  const action: Action = run.decision?.action ?? {
    type: 'rollback',
    cause: 'max-duration',
    reason: finished.reason,
  };
  const exitCode =
    finished.outcome === 'promoted'
      ? 0
      : action.type === 'rollback' && action.cause === 'judge-failed'
        ? 1
        : 3;
  return { outcome: finished.outcome, reason: finished.reason, action, exitCode, config, run, resumed };
}
