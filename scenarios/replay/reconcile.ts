import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderReading, OrderRef, OrderReport } from '../platform/types.ts';

/**
 * After the last send: ask the platform, through its adapter, what became of every
 * order it accepted, until each is settled (the platform has decided) or the settle
 * timeout passes. An accepted order the platform reports missing, or that never
 * settles, is lost, and named.
 *
 * The loop is bounded twice: by the deadline and by `maxRounds`.
 */

export interface LostOrder {
  id: string;
  line: number;
  /** `missing`: the platform has no record of an order it accepted. `unsettled`: it never finished processing. */
  reason: 'missing' | 'unsettled';
  /** For `unsettled`: the last status seen. */
  lastStatus?: string;
}

export interface Reconciliation {
  states: Map<string, OrderReport>;
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

export type LookupFn = (refs: OrderRef[], signal?: AbortSignal) => Promise<Map<string, OrderReading>>;

/** An accepted order: its input line, and what a lookup needs. */
export interface AcceptedOrder {
  line: number;
  ref: OrderRef;
}

export async function reconcile(
  lookup: LookupFn,
  accepted: ReadonlyMap<string, AcceptedOrder>,
  options: ReconcileOptions,
  /** Reports already in hand (decisions in the answers): settled ones are not asked for. */
  known: ReadonlyMap<string, OrderReport> = new Map(),
): Promise<Reconciliation> {
  const started = Date.now();
  const deadline = started + options.settleTimeoutMs;
  const batchSize = Math.min(options.batchSize ?? 500, 1000);
  const maxRounds = options.maxRounds ?? 10_000;
  const states = new Map<string, OrderReport>();
  const lost: LostOrder[] = [];
  const pending = new Set<string>();
  for (const id of accepted.keys()) {
    const report = known.get(id);
    if (report) states.set(id, report);
    if (!report?.settled) pending.add(id);
  }
  const lineOf = (id: string) => accepted.get(id)?.line ?? 0;
  let rounds = 0;
  while (pending.size > 0 && rounds < maxRounds) {
    rounds++;
    const ids = [...pending];
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      let answer: Awaited<ReturnType<LookupFn>>;
      try {
        answer = await lookup(
          batch.map((id) => accepted.get(id)!.ref),
          options.signal,
        );
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A failed lookup is retried next round; the deadline bounds how long.
        continue;
      }
      for (const id of batch) {
        const reading = answer.get(id);
        if (reading?.kind === 'found') {
          states.set(id, reading.report);
          if (reading.report.settled) pending.delete(id);
        } else if (reading?.kind === 'missing') {
          pending.delete(id);
          states.delete(id);
          lost.push({ id, line: lineOf(id), reason: 'missing' });
        }
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
      line: lineOf(id),
      reason: 'unsettled',
      ...(last ? { lastStatus: last.status } : {}),
    });
  }
  lost.sort((a, b) => a.line - b.line || a.id.localeCompare(b.id));
  return { states, lost, rounds, durationMs: Date.now() - started, timedOut: pending.size > 0 };
}
