import type { RolloutStream } from '../simulate.ts';
import type { Defect, StepPlan, World } from '../world.ts';

export interface PolicyContext {
  world: World;
  /** The true defect: only the oracle may read it. */
  defect: Defect;
  plan: StepPlan;
}

/** `minute` is the minute in which the rollback happened (or the last minute if promoted). */
export interface Decision {
  rolledBack: boolean;
  minute: number;
}

/** The peer tools whose settings are searched for their best (issue 22). */
export type Family = 'flagger' | 'argo' | 'kayenta' | 'flagger-synthetic';

export interface Policy {
  id: string;
  label: string;
  decide(stream: RolloutStream, ctx: PolicyContext): Decision;
  /** Set on a point of a peer's settings grid: the family it belongs to. */
  family?: Family;
  /** The setting in the tool's own configuration terms (for the legend). */
  config?: string;
  /** Synthetic canary orders per minute added to the canary's metrics (not to customer exposure). */
  synthetic?: number;
}

export const LATENCY_SLO_SECONDS = 1;
export const SLO = { errorRate: 0.01, etaPastPromise: 0.05, p95Seconds: LATENCY_SLO_SECONDS } as const;
