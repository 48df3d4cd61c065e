/** Baseline vs candidate decisions: pure functions, data in, verdict with evidence out. */
export {
  DEFAULT_ATTRIBUTES,
  DEFAULT_DIFF_BUDGET,
  type DiffGroup,
  type DiffOptions,
  type DiffResult,
  type DiffRunsInput,
  diffRuns,
  type FieldDiff,
  PRESENCE_FIELD,
} from './diff.ts';
export { pct } from './format.ts';
export { learnNoise, type NoiseModel } from './noise.ts';
export {
  ALWAYS_DIFFERENT_FIELDS,
  type NormalizedState,
  type NormalizeOptions,
  normalizeState,
  orderChanges,
} from './normalize.ts';
