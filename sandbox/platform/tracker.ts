import { Heap } from 'heap-js';
import type { CarrierClient } from '../../contracts/carriers/client.ts';
import type { Shipment } from '../../contracts/domain/shipping.ts';
import type { VirtualClock } from '../clock/clock.ts';

/**
 * Follows shipped orders until the carrier reports them delivered, in virtual time:
 * each shipment is first checked at its predicted delivery, then every
 * `recheckVirtualMs` until delivered or `maxChecks` is reached. A due-time heap keeps
 * each tick proportional to the shipments actually due, not to all in transit.
 */
export interface Watch {
  orderId: string;
  shipment: Shipment;
  firstCheckAt: number;
}

export interface TrackerOptions {
  clock: VirtualClock;
  carriers: CarrierClient[];
  onDelivered: (orderId: string, shipment: Shipment, deliveredAt: number) => void;
  onGivenUp?: (orderId: string, reason: string) => void;
  tickMs?: number;
  recheckVirtualMs?: number;
  maxChecks?: number;
  /** Carrier tracking calls in flight at once. */
  concurrency?: number;
}

export interface Tracker {
  watch(watch: Watch): void;
  /** Runs one round of due checks now (ticks call it; tests may too). */
  checkDue(): Promise<number>;
  pending(): number;
  stop(): Promise<void>;
}

interface Entry extends Watch {
  dueAt: number;
  checks: number;
}

export function createTracker(options: TrackerOptions): Tracker {
  const { clock } = options;
  const recheck = options.recheckVirtualMs ?? 6 * 3_600_000;
  const maxChecks = options.maxChecks ?? 40;
  const concurrency = options.concurrency ?? 16;
  const due = new Heap<Entry>((a, b) => a.dueAt - b.dueAt);
  let running: Promise<number> | undefined;
  let stopped = false;

  const checkOne = async (entry: Entry) => {
    const carrier = options.carriers.find((c) => c.carrier === entry.shipment.carrier);
    entry.checks += 1;
    try {
      if (!carrier) throw new Error(`no client for carrier ${entry.shipment.carrier}`);
      const tracking = await carrier.track(entry.shipment);
      if (tracking.status === 'delivered' && tracking.deliveredAt) {
        options.onDelivered(entry.orderId, entry.shipment, Date.parse(tracking.deliveredAt));
        return;
      }
    } catch {
      // a failed tracking call is retried at the next check, like any poller would
    }
    if (entry.checks >= maxChecks) {
      options.onGivenUp?.(entry.orderId, `not delivered after ${entry.checks} tracking checks`);
      return;
    }
    entry.dueAt = clock.now() + recheck;
    due.push(entry);
  };

  const runRound = async () => {
    const now = clock.now();
    const batch: Entry[] = [];
    while (batch.length < concurrency * 8 && (due.peek()?.dueAt ?? Number.POSITIVE_INFINITY) <= now) {
      batch.push(due.pop()!);
    }
    for (let i = 0; i < batch.length; i += concurrency) {
      await Promise.all(batch.slice(i, i + concurrency).map(checkOne));
    }
    return batch.length;
  };

  const checkDue = () => {
    running ??= runRound().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void checkDue();
  }, options.tickMs ?? 200);
  timer.unref();

  return {
    watch: (watch) => {
      due.push({ ...watch, dueAt: watch.firstCheckAt, checks: 0 });
    },
    checkDue,
    pending: () => due.size(),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
