import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderState, OrderStatus } from '../../contracts/platform/api.ts';

/**
 * After the last send: ask the platform what became of every order it accepted, until
 * each has reached a terminal state or the settle timeout passes. An accepted order the
 * platform reports missing, or that never settles, is lost, and named.
 *
 * The loop is bounded twice: by the deadline and by `maxRounds`.
 */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'shipped',
  'rejected',
  'failed',
  'delivered',
]);

export interface LostOrder {
  id: string;
  line: number;
  /** `missing`: the platform has no record of an order it accepted. `unsettled`: it never finished processing. */
  reason: 'missing' | 'unsettled';
  /** For `unsettled`: the last status seen. */
  lastStatus?: OrderStatus;
}

export interface Reconciliation {
  states: Map<string, OrderState>;
  lost: LostOrder[];
  rounds: number;
  durationMs: number;
  /** True when the deadline (not completion) ended the polling. */
  timedOut: boolean;
}

export interface ReconcileOptions {
  settleTimeoutMs: number;
  pollIntervalMs: number;
  batchSize?: number;
  maxRounds?: number;
  signal?: AbortSignal;
}

export type LookupFn = (
  ids: string[],
  signal?: AbortSignal,
) => Promise<{ orders: OrderState[]; missing: string[] }>;

export async function reconcile(
  lookup: LookupFn,
  accepted: ReadonlyMap<string, number>,
  options: ReconcileOptions,
): Promise<Reconciliation> {
  const started = Date.now();
  const deadline = started + options.settleTimeoutMs;
  const batchSize = Math.min(options.batchSize ?? 500, 1000);
  const maxRounds = options.maxRounds ?? 10_000;
  const states = new Map<string, OrderState>();
  const lost: LostOrder[] = [];
  const pending = new Set(accepted.keys());
  let rounds = 0;
  while (pending.size > 0 && rounds < maxRounds) {
    rounds++;
    const ids = [...pending];
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      let answer: Awaited<ReturnType<LookupFn>>;
      try {
        answer = await lookup(batch, options.signal);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A failed lookup is retried next round; the deadline bounds how long.
        continue;
      }
      for (const state of answer.orders) {
        if (!pending.has(state.orderId)) continue;
        states.set(state.orderId, state);
        if (TERMINAL_STATUSES.has(state.status)) pending.delete(state.orderId);
      }
      for (const id of answer.missing) {
        if (!pending.delete(id)) continue;
        states.delete(id);
        lost.push({ id, line: accepted.get(id) ?? 0, reason: 'missing' });
      }
    }
    if (pending.size === 0 || Date.now() >= deadline) break;
    await sleep(Math.min(options.pollIntervalMs, Math.max(0, deadline - Date.now())), undefined, {
      signal: options.signal,
    });
  }
  for (const id of pending) {
    const last = states.get(id);
    lost.push({
      id,
      line: accepted.get(id) ?? 0,
      reason: 'unsettled',
      ...(last ? { lastStatus: last.status } : {}),
    });
  }
  lost.sort((a, b) => a.line - b.line || a.id.localeCompare(b.id));
  return { states, lost, rounds, durationMs: Date.now() - started, timedOut: pending.size > 0 };
}
