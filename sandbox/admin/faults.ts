import type { Region } from '../../contracts/domain/order.ts';
import type { Fault, FaultStatus } from './api.ts';
import { MAX_HANG_MS } from './api.ts';

/** A service's own behaviour when no fault is set: small latency, rare errors. */
export interface ServiceProfile {
  latency: { minMs: number; maxMs: number };
  /** Share of requests answered with `errorStatus` (default 0). */
  errorRate: number;
  errorStatus: number;
}

export const DEFAULT_PROFILE: ServiceProfile = {
  latency: { minMs: 5, maxMs: 40 },
  errorRate: 0,
  errorStatus: 503,
};
export const NO_LATENCY_PROFILE: ServiceProfile = {
  latency: { minMs: 0, maxMs: 0 },
  errorRate: 0,
  errorStatus: 503,
};

export interface RequestContext {
  /** Virtual epoch ms. */
  now: number;
  operation: string;
  region?: Region;
}

export type FaultOutcome =
  | { type: 'pass' }
  | { type: 'error'; status: number; faultId?: string }
  | { type: 'reset'; faultId?: string }
  | { type: 'hang'; ms: number; faultId?: string };

export interface FaultDecision {
  /** Real milliseconds to wait before the outcome. */
  delayMs: number;
  outcome: FaultOutcome;
  /** Indexes of the faults that touched this request. */
  applied: number[];
}

export function faultIsActive(fault: Fault, now: number): boolean {
  if (fault.from !== undefined && now < Date.parse(fault.from)) return false;
  if (fault.until !== undefined && now >= Date.parse(fault.until)) return false;
  return true;
}

function faultMatches(fault: Fault, context: RequestContext): boolean {
  if (!faultIsActive(fault, context.now)) return false;
  if (fault.operations && !fault.operations.includes(context.operation)) return false;
  // A fault aimed at regions never touches requests whose region is unknown.
  if (fault.regions && (context.region === undefined || !fault.regions.includes(context.region)))
    return false;
  return true;
}

/**
 * What happens to one request: pure, so the rules are tested without a server.
 * Latency faults compose; the first outage, timeout or error that fires decides the outcome.
 */
export function decideFault(
  profile: ServiceProfile,
  faults: readonly Fault[],
  context: RequestContext,
  random: () => number,
): FaultDecision {
  const { minMs, maxMs } = profile.latency;
  let delayMs = minMs + random() * Math.max(0, maxMs - minMs);
  let outcome: FaultOutcome = { type: 'pass' };
  const applied: number[] = [];
  faults.forEach((fault, index) => {
    if (!faultMatches(fault, context)) return;
    if (fault.kind === 'latency') {
      delayMs = delayMs * (fault.multiplier ?? 1) + (fault.addMs ?? 0);
      applied.push(index);
      return;
    }
    if (outcome.type !== 'pass') return;
    const fires = random() < (fault.rate ?? 1);
    if (!fires) return;
    applied.push(index);
    if (fault.kind === 'outage') {
      outcome =
        fault.mode === 'reset'
          ? { type: 'reset', faultId: fault.id }
          : { type: 'error', status: fault.status ?? 503, faultId: fault.id };
    } else if (fault.kind === 'timeout') {
      outcome = { type: 'hang', ms: Math.min(fault.hangMs ?? 30_000, MAX_HANG_MS), faultId: fault.id };
    } else {
      outcome = { type: 'error', status: fault.status ?? 503, faultId: fault.id };
    }
  });
  if (outcome.type === 'pass' && profile.errorRate > 0 && random() < profile.errorRate) {
    outcome = { type: 'error', status: profile.errorStatus };
  }
  return { delayMs: Math.min(delayMs, MAX_HANG_MS), outcome, applied };
}

/** The faults set on one service, with how often each was applied. */
export class FaultTable {
  #faults: Fault[] = [];
  #applied: number[] = [];

  get faults(): readonly Fault[] {
    return this.#faults;
  }

  replace(faults: Fault[]): void {
    this.#faults = faults.map((fault) => ({ ...fault }));
    this.#applied = faults.map(() => 0);
  }

  clear(): void {
    this.replace([]);
  }

  recordApplied(indexes: number[]): void {
    for (const index of indexes) this.#applied[index] = (this.#applied[index] ?? 0) + 1;
  }

  status(now: number): FaultStatus[] {
    return this.#faults.map((fault, index) => ({
      fault,
      active: faultIsActive(fault, now),
      applied: this.#applied[index] ?? 0,
    }));
  }
}
