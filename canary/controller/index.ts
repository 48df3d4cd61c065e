/** The canary step controller: public API. */
export { manualClock, type RolloutClock, virtualRolloutClock, wallClock } from './clock.ts';
export { DEFAULT_ROLLOUT, parseDuration, parseSteps, type RolloutConfig, resolveRollout } from './config.ts';
export { type Action, type ActionType, decide, type StepState } from './decide.ts';
export { canarySection, judgementSection, reportSeries, type SectionOptions } from './report.ts';
export { DEFAULT_VERSIONS, type RolloutOptions, type RolloutOutcome, runRollout } from './rollout.ts';
export { type CanaryLayerOptions, type CanaryLayerResult, runCanaryLayer } from './run-layer.ts';
export type { Versions } from './series.ts';
export { applyEvent, type RolloutRun, replay, type StepRecord } from './state.ts';
