import type { Fault } from '../../contracts/carriers/admin/api.ts';
import type { CarrierName } from '../../contracts/domain/shipping.ts';
import type { LoadProfile } from '../load/profile.ts';

/**
 * A load-and-fault scenario, declared as data: how orders arrive, what breaks and when,
 * and what the platform must still achieve. Users add their own in shipgate.config.ts.
 */
export interface Scenario {
  name: string;
  description: string;
  load: LoadProfile;
  faults: ScenarioFault[];
  expectations: Expectation[];
  /** Virtual days to keep tracking after the last order, so deliveries (on-time rate) are seen. */
  settleDays: number;
  /** Default time compression: virtual seconds per real second. */
  speed: number;
}

export type FaultTarget = 'inventory' | CarrierName;

/**
 * A fault applied through the target service's admin API: the real `Fault` schema of
 * contracts/carriers/admin/api.ts (one definition), with its window given in hours from
 * the scenario's start instead of virtual timestamps. The runner converts the hours to
 * `from`/`until` on the target's clock (scenarios/run/faults.ts).
 */
export type ScenarioFault = Omit<Fault, 'from' | 'until'> & {
  target: FaultTarget;
  /** Hours from the start of the load window; open-ended when absent. */
  fromHour?: number;
  untilHour?: number;
};

/** The SLOs a scenario can expect; each is measured from the platform's own metrics or the replay ledger. */
export type ExpectationId =
  | 'on_time_rate'
  | 'processing_p95_seconds'
  | 'processing_p99_seconds'
  | 'error_rate'
  | 'cutoff_missed_rate'
  | 'lost_orders'
  | 'shipped_rate';

export interface Expectation {
  id: ExpectationId;
  op: '<=' | '>=';
  value: number;
  /** k6 can only see what crosses HTTP: thresholds mirror those it can (see k6/export.ts). */
  abortOnFail?: boolean;
}

/** The SLOs every scenario expects unless it says otherwise (the design's defaults). */
export const DEFAULT_EXPECTATIONS: Expectation[] = [
  { id: 'on_time_rate', op: '>=', value: 0.95 },
  { id: 'processing_p95_seconds', op: '<=', value: 1 },
  { id: 'processing_p99_seconds', op: '<=', value: 2 },
  { id: 'error_rate', op: '<=', value: 0.01 },
  { id: 'lost_orders', op: '<=', value: 0 },
];
