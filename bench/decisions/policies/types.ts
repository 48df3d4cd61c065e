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

export interface Policy {
  id: string;
  label: string;
  decide(stream: RolloutStream, ctx: PolicyContext): Decision;
}

export const LATENCY_SLO_SECONDS = 1;
export const SLO = { errorRate: 0.01, etaPastPromise: 0.05, p95Seconds: LATENCY_SLO_SECONDS } as const;
