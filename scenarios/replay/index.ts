/** The replay API the CLI, the gate and the reliability suite use. */
export { type Allowlist, assertTargetAllowed, createAllowlist, DEFAULT_ALLOW_HOSTS } from './allowlist.ts';
export { cloneId, shiftOrder } from './orders.ts';
export { type AcceptedOrder, type LostOrder, reconcile } from './reconcile.ts';
export { DEFAULT_REORDER_WINDOW, reorder } from './reorder.ts';
export { replay } from './replayer.ts';
export { type OutcomeLine, type PriorResults, type ResultLine, readPriorResults } from './results-file.ts';
export { replaySection, type SectionInput } from './section.ts';
export { newTraceparent, TRACEPARENT_PATTERN } from './traceparent.ts';
export type {
  FailedOrder,
  LatencySummary,
  LineAccounting,
  OrderAccounting,
  ReplayOptions,
  ReplayProgress,
  ReplayResult,
} from './types.ts';
