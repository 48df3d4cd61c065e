import { request } from 'undici';
import type { Order } from '../../contracts/domain/order.ts';
import type { OrderState } from '../../contracts/platform/api.ts';
import { generateDay, promiseFor } from '../../scenarios/generate/index.ts';

/**
 * For the integration tests: real order traffic into a sandbox router at a steady real
 * rate, from the traffic generator's orders, re-dated to the world's virtual clock with
 * the promise the generator's checkout rule gives at that moment.
 */
export interface Feeder {
  sent: number;
  byVersion: Record<string, number>;
  failures: number;
  stop(): Promise<void>;
}

export function feedOrders(options: {
  router: string;
  virtualNow: () => number;
  perSecond: number;
  seed: string;
  maxOrders?: number;
}): Feeder {
  const orders = generateDay({ orders: options.maxOrders ?? 20_000, seed: options.seed });
  const feeder: Feeder = { sent: 0, byVersion: {}, failures: 0, stop: async () => {} };
  let running = true;
  const inflight = new Set<Promise<void>>();
  const send = (order: Order) => {
    const now = options.virtualNow();
    // The promise a checkout would make now (the generator's own rule), not the one made
    // at the generated time of day: a promise made before a cutoff must not be kept after it.
    const promise = promiseFor(new Date(now), order.serviceLevel, order.destination.region);
    const body = { ...order, createdAt: new Date(now).toISOString(), promisedBy: promise.toISOString() };
    const p = request(`${options.router}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(async (res) => {
        await res.body.dump();
        const version = String(res.headers['x-shipgate-version'] ?? 'unknown');
        if (res.statusCode === 202 || res.statusCode === 200)
          feeder.byVersion[version] = (feeder.byVersion[version] ?? 0) + 1;
        else feeder.failures++;
      })
      .catch(() => {
        feeder.failures++;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    feeder.sent++;
  };
  const tickMs = 50;
  let carry = 0;
  const loop = (async () => {
    while (running) {
      carry += (options.perSecond * tickMs) / 1000;
      while (carry >= 1 && running) {
        const next = orders.next();
        if (next.done) {
          running = false;
          break;
        }
        if (inflight.size < 256) send(next.value);
        carry -= 1;
      }
      await new Promise((r) => setTimeout(r, tickMs));
    }
  })();
  feeder.stop = async () => {
    running = false;
    await loop;
    await Promise.allSettled([...inflight]);
  };
  return feeder;
}

export async function listPlatformOrders(platform: string): Promise<OrderState[]> {
  const out: OrderState[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await request(
      `${platform}/v1/orders?limit=5000${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    const body = (await res.body.json()) as { orders: OrderState[]; next?: string };
    out.push(...body.orders);
    if (!body.next) break;
    after = body.next;
  }
  return out;
}
