import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../../contracts/domain/order.ts';
import type { OrderRef, OrderReport } from '../platform/types.ts';
import type { PlatformClient } from '../replay/platform-client.ts';
import type { ReplayResult } from '../replay/types.ts';

const DAY_MS = 86_400_000;
/** Orders asked about per lookup call (the adapter splits into its own batches or polls). */
const CHUNK = 1000;

export interface SettleOptions {
  /** Virtual ms to keep tracking after the load (the scenario's settle days). */
  virtualMs: number;
  /** The target clock's speed (1 without a clock). */
  speed: number;
  /** Real-time bound. */
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}

export interface Settled {
  /** The last report of each accepted order. */
  states: Map<string, OrderReport>;
  summary: { delivered: number; awaiting: number; virtualDays: number; timedOut: boolean };
}

/**
 * After the load: ask the platform, through its adapter (a batch lookup, a status path
 * per order, or nothing when its answers were final), about every order it has decided
 * but that can still change — shipped, not yet delivered — until each is final, the
 * scenario's settle days have passed on the target's clock, or the real-time bound.
 * Bounded in rounds and time. A failed lookup is asked again next round.
 */
export async function awaitDeliveries(
  client: PlatformClient,
  result: Pick<ReplayResult, 'states'>,
  orders: readonly Order[],
  options: SettleOptions,
): Promise<Settled> {
  const states = new Map(result.states);
  const byId = new Map(orders.map((o) => [o.id, o]));
  const refOf = async (id: string): Promise<OrderRef> => {
    const report = states.get(id);
    const order = byId.get(id);
    return {
      id,
      key: order ? await client.keyOf(order) : id,
      ...(report?.platformId !== undefined ? { platformId: report.platformId } : {}),
    };
  };
  const awaiting = new Set([...states.values()].filter((s) => s.settled && !s.final).map((s) => s.orderId));
  const started = Date.now();
  const deadline = started + Math.min(options.timeoutMs, options.virtualMs / options.speed);
  let rounds = 0;
  while (awaiting.size > 0 && Date.now() < deadline && rounds < 100_000) {
    rounds++;
    await sleep(options.pollIntervalMs, undefined, { signal: options.signal });
    const ids = [...awaiting];
    for (let i = 0; i < ids.length; i += CHUNK) {
      try {
        const refs = await Promise.all(ids.slice(i, i + CHUNK).map(refOf));
        const readings = await client.lookup(refs, options.signal);
        for (const [id, reading] of readings) {
          if (reading.kind !== 'found') continue;
          // The platform's id from the answer stays, if a later report does not repeat it.
          const platformId = reading.report.platformId ?? states.get(id)?.platformId;
          states.set(id, { ...reading.report, ...(platformId !== undefined ? { platformId } : {}) });
          if (reading.report.final) awaiting.delete(id);
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // a failed lookup is retried next round; the deadline bounds how long
      }
    }
  }
  const elapsed = Date.now() - started;
  let delivered = 0;
  for (const s of states.values()) if (s.delivered) delivered++;
  return {
    states,
    summary: {
      delivered,
      awaiting: awaiting.size,
      virtualDays: Math.round(((elapsed * options.speed) / DAY_MS) * 100) / 100,
      timedOut: awaiting.size > 0 && elapsed >= options.timeoutMs,
    },
  };
}
