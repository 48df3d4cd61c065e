import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld } from '../../sandbox/launch/world.ts';
import { generateDay } from '../../scenarios/generate/index.ts';
import { replay } from '../../scenarios/replay/replayer.ts';
import { readTraffic, writeTraffic } from '../../scenarios/traffic/index.ts';
import { listPlatformOrders } from '../support/sandbox-rollout.ts';
import { type FaultAction, startFaultProxy } from './fault-proxy.ts';
import { cleanups } from './helpers.ts';

/**
 * Fault matrix, replay side: a generated day replayed through a fault proxy into the
 * real sandbox platform (in-process world). Per order the proxy injects a 503 storm, a
 * 500, a reset before or after the platform saw the order, or a hang. Then the
 * platform's own order list is compared with the replay's accounting: every order is
 * either accepted (and exists exactly once at the platform) or reported failed (and
 * the platform never created it) — nothing is lost silently.
 */
const c = cleanups();
afterEach(() => c.run());

type Fault = 'storm-503' | 'error-500' | 'reset-after' | 'reset-before' | 'hang' | 'ok';

function faultFor(id: string): Fault {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return (['storm-503', 'error-500', 'reset-after', 'reset-before', 'hang', 'ok', 'ok', 'ok'] as const)[
    h % 8
  ]!;
}

describe('fault matrix: replay against the sandbox through a fault proxy', () => {
  it('5xx storms, resets and hangs: every order accounted for, accepted ones exist exactly once, none lost', async () => {
    const world = await startWorld({ speed: 3600, latency: 'none', seed: 9 });
    c.add(() => world.stop());
    const orders = [...generateDay({ orders: 120, seed: 'faults' })];
    const dir = c.tempDir('sg-rel-replay-');
    const file = join(dir, 'day.jsonl');
    const out = createWriteStream(file);
    await writeTraffic(orders, out, 'jsonl');
    out.end();
    await finished(out);

    const proxy = await startFaultProxy(world.urls.stable, (req): FaultAction => {
      if (req.method !== 'POST' || req.url !== '/v1/orders') return { kind: 'forward' };
      const id = (JSON.parse(req.body) as { id: string }).id;
      const attempt = Number(req.headers['x-shipgate-attempt'] ?? 1);
      switch (faultFor(id)) {
        case 'storm-503':
          return attempt <= 2 ? { kind: 'status', code: 503 } : { kind: 'forward' };
        case 'error-500':
          return { kind: 'status', code: 500 };
        case 'reset-after':
          return attempt === 1 ? { kind: 'reset-after' } : { kind: 'forward' };
        case 'reset-before':
          return attempt === 1 ? { kind: 'reset-before' } : { kind: 'forward' };
        case 'hang':
          return { kind: 'hang' };
        default:
          return { kind: 'forward' };
      }
    });
    c.add(() => proxy.close());

    const result = await replay({
      records: readTraffic(file),
      target: proxy.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: Number.POSITIVE_INFINITY,
      concurrency: 16,
      // Long enough that a healthy order never times out on a busy machine; hangs still cost only this.
      timeoutMs: 2_000,
      maxAttempts: 3,
      settleTimeoutMs: 15_000,
      pollIntervalMs: 50,
    });

    const expectFailed = orders
      .filter((o) => ['error-500', 'hang'].includes(faultFor(o.id)))
      .map((o) => o.id);
    const expectAccepted = orders.filter((o) => !expectFailed.includes(o.id)).map((o) => o.id);
    // Every fault class was exercised.
    for (const f of ['storm-503', 'error-500', 'reset-after', 'reset-before', 'hang'] as Fault[])
      expect(
        orders.some((o) => faultFor(o.id) === f),
        f,
      ).toBe(true);

    expect(result.balanced).toBe(true);
    expect(result.lines).toMatchObject({ read: 120, quarantined: 0 });
    expect(result.lines.sent + result.lines.failed).toBe(120);
    expect(result.failures.map((f) => f.id).sort()).toEqual([...expectFailed].sort());
    expect(result.orders.accepted).toBe(expectAccepted.length);
    expect(result.orders.lost).toBe(0);
    expect(result.lost).toEqual([]);
    expect(result.orders.duplicates).toBeGreaterThan(0); // reset-after: the retry was told "already seen"

    // The platform's own view: exactly the accepted orders, each once.
    const atPlatform = (await listPlatformOrders(world.urls.stable)).map((o) => o.orderId);
    expect(new Set(atPlatform).size).toBe(atPlatform.length);
    expect([...atPlatform].sort()).toEqual([...expectAccepted].sort());
    expect(proxy.counts.hang).toBeGreaterThanOrEqual(expectFailed.length);
  });
});
