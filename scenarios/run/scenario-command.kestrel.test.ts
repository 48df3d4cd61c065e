import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPlatform } from '../../examples/own-platform/platform.ts';
import { kestrelPlatform } from '../../examples/own-platform/shipgate-platform.ts';
import { runScenarioCommand } from '../../harness/cli/actions/scenario.ts';
import { scenarioByName } from '../catalogue/catalogue.ts';
import { exportK6, type K6Request } from '../k6/export.ts';
import { runK6Script } from '../k6/run-script.testing.ts';
import { k6ShapeOf } from '../k6/shape.ts';
import type { PlatformConfig } from '../platform/config.ts';
import { resolvePlatform } from '../platform/resolve.ts';
import type { PlatformAdapter } from '../platform/types.ts';
import { scenarioOrders } from './orders.ts';

/**
 * `shipgate scenario run --config` with the example config alone, and the k6 export in
 * Kestrel's shape, against the second platform (examples/own-platform) through its
 * declarative adapter; the runner itself on Kestrel is in runner.kestrel.test.ts.
 */
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'own-platform');
const peak = scenarioByName('peak-day')!;
let kestrel: PlatformAdapter;
beforeAll(async () => {
  // Kestrel's own declarative adapter, as its config names it (examples/own-platform).
  kestrel = await resolvePlatform(kestrelPlatform as unknown as PlatformConfig, { baseDir: EXAMPLE });
});

describe('shipgate scenario run --config on Kestrel', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('the example config alone: its canary URL, its adapter, a report with every order', {
    timeout: 90_000,
  }, async () => {
    const platform = await startPlatform({ timeScale: 14_400, nextPercent: 100, handlingMs: [1, 3] });
    try {
      vi.stubEnv('KESTREL_CURRENT_URL', platform.urls.current);
      vi.stubEnv('KESTREL_NEXT_URL', platform.urls.next);
      const runDir = join(mkdtempSync(join(tmpdir(), 'sg-kestrel-cli-')), 'run');
      const result = await runScenarioCommand('peak-day', {
        config: join(EXAMPLE, 'shipgate.config.ts'),
        admin: [],
        version: 'canary',
        scale: 0.02,
        latency: 'none',
        settleTimeout: 30_000,
        allowHost: [],
        runDir,
        json: true,
      });
      const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
      const [run] = report.layers.scenarios.runs;
      expect(run.orders).toEqual({ sent: 72, failed: 0, lost: 0 });
      expect(report.release.target).toBe(`kestrel at ${new URL(platform.urls.next).origin}`);
      // Kestrel's next build took them all (its own counter, by its own label).
      const metrics = await (await fetch(`${platform.urls.next}/metrics`)).text();
      expect(metrics).toMatch(
        /kestrel_fulfilment_requests_total\{result="created",release_track="next"\} 72\n/,
      );
      expect(result.exitCode === 0 || result.exitCode === 1).toBe(true);
    } finally {
      await platform.stop();
    }
  });
});

describe('Kestrel’s k6 export', () => {
  it('PUT /fulfilment/requests/{clientRef} with Kestrel’s body, which Kestrel itself accepts', {
    timeout: 60_000,
  }, async () => {
    const orders = scenarioOrders({ load: peak.load, seed: 'k6-kestrel', scale: 0.01 });
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-kestrel-'));
    const { files, requests: count } = await exportK6(peak, orders, dir, {
      target: 'http://127.0.0.1:1',
      shape: k6ShapeOf(kestrel),
    });
    const requests = JSON.parse(readFileSync(files.requests, 'utf8')) as K6Request[];
    expect(requests).toHaveLength(count);
    for (const request of requests) {
      expect(request.method).toBe('PUT');
      expect(request.path).toMatch(/^\/fulfilment\/requests\/[A-Za-z0-9_-]{4,64}$/);
    }
    // References are keyed per target; a clone's is Kestrel-safe (":" is not allowed in them).
    expect(requests[0]!.path).toBe(`/fulfilment/requests/candidate-${orders[0]!.id}`);
    expect(requests[orders.length]!.path).toBe(`/fulfilment/requests/candidate-${orders[0]!.id}_x1`);
    const body = JSON.parse(requests[0]!.body!) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['lines', 'recipient', 'speed']);

    // What the script counts as accepted is the adapter's `submit.accepted` (200, 201),
    // not any 2xx: a 202 from Kestrel would not be an order it has.
    const run = runK6Script(files.script, { iterations: 5, status: 201 });
    expect(run.checks.accepted).toEqual([5, 0]);
    expect(runK6Script(files.script, { iterations: 5, status: 202 }).checks.accepted).toEqual([0, 5]);

    // What the script sends, run with k6's modules stubbed, against a running Kestrel:
    // the first iterations' requests are replayed as recorded and Kestrel creates each.
    const sent = run.requests;
    const platform = await startPlatform({ timeScale: 3600 });
    try {
      for (const request of sent) {
        const url = new URL(request.url);
        expect(url.origin).toBe('http://127.0.0.1:1');
        const answer = await fetch(`${platform.urls.entry}${url.pathname}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        expect(answer.status, await answer.clone().text()).toBe(201);
        expect(((await answer.json()) as { state: string }).state).toBe('accepted');
      }
    } finally {
      await platform.stop();
    }
  });
});
