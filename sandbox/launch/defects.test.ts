import { afterEach, describe, expect, it } from 'vitest';
import { LATENCY_SLO_SECONDS } from '../../canary/metrics/catalogue.ts';
import { SERIES } from '../../canary/metrics/presets/builtin.ts';
import { generateDay } from '../../scenarios/generate/index.ts';
import { replayOrders, scrape, total } from '../../test/support/sandbox-traffic.ts';
import type { DefectName } from '../platform/defects.ts';
import { startWorld, type World } from './world.ts';

/**
 * Each named defect shows its effect in the canary's metrics and not in stable's:
 * half the traffic of a generated day goes to each build. At speed 10 800 the day
 * arrives over eight real seconds: enough load for the latency defect's contention,
 * not so much that a busy two-core machine slows the stable build past its SLO.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function runWith(defect: DefectName, orders = 160) {
  world = await startWorld({
    speed: 10_800,
    latency: 'none',
    initialWeight: 50,
    canaryDefect: defect,
    seed: 3,
  });
  const replay = await replayOrders(world.urls.router, generateDay({ orders, seed: `defect-${defect}` }), {
    settleTimeoutMs: 40_000,
  });
  const [stable, canary] = await Promise.all([
    scrape(`${world.urls.stable}/metrics`),
    scrape(`${world.urls.canary}/metrics`),
  ]);
  const both = [...stable, ...canary];
  return {
    replay,
    metric: (name: string, version: string, labels: Record<string, string> = {}) =>
      total(both, name, version, labels),
  };
}

const overSlo = (metric: (n: string, v: string, l?: Record<string, string>) => number, version: string) =>
  metric(`${SERIES.processingSeconds}_count`, version) -
  metric(`${SERIES.processingSeconds}_bucket`, version, { le: String(LATENCY_SLO_SECONDS) });

describe('canary defects', () => {
  it('latency-under-load: canary orders are slower and exceed the processing SLO more often than stable ones', async () => {
    const { metric } = await runWith('latency-under-load');
    const count = (version: string) => metric(`${SERIES.processingSeconds}_count`, version);
    const mean = (version: string) => metric(`${SERIES.processingSeconds}_sum`, version) / count(version);
    const share = (version: string) => overSlo(metric, version) / count(version);
    // Compared with stable in the same run, so a busy machine slows both builds alike.
    expect(mean('canary') - mean('stable')).toBeGreaterThan(0.3);
    expect(share('canary')).toBeGreaterThan(share('stable') + 0.2);
  });

  it('wrong-carrier: canary orders to NW get an ETA past their promise', async () => {
    const { metric } = await runWith('wrong-carrier');
    const canaryLate = metric(SERIES.etaPastPromise, 'canary', { region: 'NW' });
    expect(canaryLate).toBeGreaterThanOrEqual(3);
    expect(canaryLate).toBeGreaterThan(metric(SERIES.etaPastPromise, 'stable', { region: 'NW' }));
    expect(metric(SERIES.etaPastPromise, 'canary', { region: 'NW', carrier: 'steppe' })).toBe(canaryLate);
  });

  it('unit-mismatch: the canary steppe client breaks its calls, stable calls succeed', async () => {
    const { metric } = await runWith('unit-mismatch');
    expect(metric(SERIES.carrierRequests, 'canary', { carrier: 'steppe', outcome: 'error' })).toBeGreaterThan(
      0,
    );
    expect(metric(SERIES.carrierRequests, 'stable', { carrier: 'steppe', outcome: 'error' })).toBe(0);
    expect(metric(SERIES.carrierRequests, 'stable', { carrier: 'steppe', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('dropped-orders: the canary accepts orders it never processes; replay names them lost', async () => {
    const { metric, replay } = await runWith('dropped-orders', 300);
    const dropped = metric(SERIES.ordersReceived, 'canary') - metric(SERIES.ordersProcessed, 'canary');
    expect(dropped).toBeGreaterThan(0);
    expect(metric(SERIES.ordersReceived, 'stable')).toBe(metric(SERIES.ordersProcessed, 'stable'));
    expect(replay.orders.lost).toBe(dropped);
    expect(replay.lost.length).toBe(dropped);
  });
});
