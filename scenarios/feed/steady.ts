import { request } from 'undici';
import type { Order } from '../../contracts/domain/order.ts';
import { generateDay, promiseFor } from '../generate/index.ts';

/**
 * Customer traffic for a sandbox rollout: the canary gate judges real orders, and the
 * sandbox has no customers of its own. Generated orders are POSTed to the router at a
 * steady real rate, re-dated to the world's virtual clock with the promise a checkout
 * would give at that moment (a promise made before a cutoff must not be kept after it).
 * Bounded: at most `maxOrders` orders and 256 requests in flight.
 */
export interface OrderFeed {
  readonly sent: number;
  readonly failures: number;
  stop(): Promise<void>;
}

export function feedOrders(options: {
  router: string;
  virtualNow: () => number;
  perSecond: number;
  seed: string;
  maxOrders?: number;
}): OrderFeed {
  const orders = generateDay({ orders: options.maxOrders ?? 50_000, seed: options.seed });
  let sent = 0;
  let failures = 0;
  let running = true;
  const inflight = new Set<Promise<void>>();
  const send = (order: Order) => {
    const now = options.virtualNow();
    const promise = promiseFor(new Date(now), order.serviceLevel, order.destination.region);
    const body = { ...order, createdAt: new Date(now).toISOString(), promisedBy: promise.toISOString() };
    const p = request(`${options.router}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 300) failures++;
      })
      .catch(() => {
        failures++;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    sent++;
  };
  const tickMs = 50;
  let carry = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    const tick = () => {
      if (!running) return resolve();
      // From elapsed time, not the tick count: on a busy machine timers fire late, and
      // the rate must hold anyway (the judge needs its samples).
      const now = performance.now();
      carry = Math.min(carry + ((now - last) * options.perSecond) / 1000, options.perSecond);
      last = now;
      while (carry >= 1) {
        carry -= 1;
        const next = orders.next();
        if (next.done) {
          running = false;
          return resolve();
        }
        if (inflight.size < 256) send(next.value);
      }
      timer = setTimeout(tick, tickMs);
    };
    tick();
  });
  return {
    get sent() {
      return sent;
    },
    get failures() {
      return failures;
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await Promise.race([done, Promise.resolve()]);
      await Promise.allSettled([...inflight]);
    },
  };
}
