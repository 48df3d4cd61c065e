import { afterEach, describe, expect, it } from 'vitest';
import { SERIES } from '../../canary/metrics/presets/builtin.ts';
import { createCarrierClient } from '../../contracts/carriers/index.ts';
import type { Order } from '../../contracts/domain/order.ts';
import type { LookupResponse } from '../../contracts/platform/api.ts';
import { generateDay } from '../../scenarios/generate/index.ts';
import { eventually, replayOrders, scrape, total } from '../../test/support/sandbox-traffic.ts';
import { startWorld, type World } from './world.ts';

/** A generated day compressed into about a real second at speed 86 400 (1 s = 1 virtual day). */
const SPEED = 86_400;
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function lookup(router: string, ids: string[]): Promise<LookupResponse> {
  const response = await fetch(`${router}/v1/orders/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ids }),
  });
  return (await response.json()) as LookupResponse;
}

describe('sandbox world over real HTTP', () => {
  it('turns an order into a shipment at a carrier and a delivery in virtual time', async () => {
    world = await startWorld({ speed: SPEED, latency: 'none', seed: 7 });
    const orders = [...generateDay({ orders: 60, seed: 'pipeline' })];
    const result = await replayOrders(world.urls.router, orders);
    expect(result.lines.sent).toBe(orders.length);
    expect(result.orders.lost).toBe(0);

    const ids = orders.map((o) => o.id);
    const router = world.urls.router;
    const delivered = await eventually(async () => {
      const { orders: states } = await lookup(router, ids);
      return states.filter((s) => s.outcome === 'shipped').every((s) => s.status === 'delivered');
    }, 30_000);
    expect(delivered).toBe(true);

    const { orders: states, missing } = await lookup(router, ids);
    expect(missing).toEqual([]);
    const shipped = states.filter((s) => s.outcome === 'shipped');
    expect(shipped.length).toBeGreaterThan(orders.length * 0.9);
    for (const state of shipped) {
      expect(state.carrier).toBeDefined();
      expect(Date.parse(state.deliveredAt!)).toBeGreaterThan(Date.parse(state.dispatchAt!));
      expect(state.onTime).toBe(Date.parse(state.deliveredAt!) <= Date.parse(state.promisedBy));
    }
    // The carrier itself knows the parcel was delivered: ask it through its own API.
    const sample = shipped[0]!;
    const client = createCarrierClient(sample.carrier!, {
      baseUrl: world.urls.carriers[sample.carrier!],
      apiKey: world.config.carrierKeys[sample.carrier!],
    });
    const tracking = await client.track({
      shipmentId: sample.shipmentId!,
      trackingNumber: sample.trackingNumber!,
    });
    expect(tracking.status).toBe('delivered');

    const metrics = await scrape(`${world.urls.stable}/metrics`);
    expect(total(metrics, SERIES.deliveries, 'stable')).toBe(shipped.length);
    expect(total(metrics, SERIES.ordersReceived, 'stable')).toBe(orders.length);
  });

  it('accepts an order id once: a repeat creates no second shipment', async () => {
    world = await startWorld({ speed: 60, latency: 'none' });
    const order = structuredClone([...generateDay({ orders: 20, seed: 'idem' })][5]!) as Order;
    const now = (await (await fetch(`${world.urls.router}/v1/clock`)).json()) as { now: string };
    order.createdAt = now.now;
    order.promisedBy = new Date(Date.parse(now.now) + 5 * 86_400_000).toISOString();
    const post = () =>
      fetch(`${world!.urls.router}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      }).then((r) => r.json() as Promise<{ duplicate: boolean }>);
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    const router = world.urls.router;
    await eventually(async () => (await lookup(router, [order.id])).orders[0]?.status !== 'accepted', 10_000);
    const metrics = await scrape(`${world.urls.stable}/metrics`);
    expect(total(metrics, SERIES.ordersProcessed, 'stable')).toBe(1);
    expect(
      total(metrics, SERIES.carrierRequests, 'stable', { operation: 'create_shipment', outcome: 'ok' }),
    ).toBe(1);
  });

  it('the router sends a share of orders to the canary within binomial tolerance of its weight', async () => {
    world = await startWorld({ speed: SPEED, latency: 'none', initialWeight: 25 });
    const orders = [...generateDay({ orders: 400, seed: 'split' })];
    await replayOrders(world.urls.router, orders);
    // Counted where orders land (a retried request reaches the router twice, the platform once).
    const [router, stableMetrics, canaryMetrics] = await Promise.all(
      [world.urls.router, world.urls.stable, world.urls.canary].map((url) => scrape(`${url}/metrics`)),
    );
    const canary = total(canaryMetrics!, SERIES.ordersReceived, 'canary');
    const stable = total(stableMetrics!, SERIES.ordersReceived, 'stable');
    expect(canary + stable).toBe(orders.length);
    const sd = Math.sqrt(orders.length * 0.25 * 0.75);
    expect(Math.abs(canary - orders.length * 0.25)).toBeLessThan(4 * sd);
    expect(total(router!, SERIES.routerCanaryWeight, 'canary')).toBe(25);
  });

  it('exposes /metrics on every service in Prometheus text format, every series labelled with its version', async () => {
    world = await startWorld({ speed: SPEED, latency: 'none', initialWeight: 50 });
    await replayOrders(world.urls.router, generateDay({ orders: 20, seed: 'metrics' }));
    expect(world.metricsTargets).toHaveLength(7);
    for (const target of world.metricsTargets) {
      const samples = await scrape(target); // throws with a line number if not valid exposition text
      expect(samples.length, target).toBeGreaterThan(0);
      for (const sample of samples) expect(sample.labels.version, `${target} ${sample.name}`).toMatch(/\S/);
    }
  });
});
