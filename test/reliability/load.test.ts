import { writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedSource, TEST_METRICS } from '../../canary/controller/testing.ts';
import { startGateServer } from '../../canary/server/app.ts';
import { createGateSession } from '../../canary/server/session.ts';
import { replay } from '../../scenarios/replay/replayer.ts';
import { sampleOrders, startSink } from '../../scenarios/replay/testing.ts';
import { readTraffic } from '../../scenarios/traffic/index.ts';
import { cleanups } from './helpers.ts';

/**
 * Load: the gate server under a burst of webhook calls from autocannon on loopback
 * (authorised and unauthorised at once), and the replayer at its benchmark rate
 * against a sink that keeps every order. Timing bounds are the callers' timeouts
 * (seconds), not performance goals: figures go to docs/reliability.md, speed goals
 * live in bench/.
 */
const c = cleanups();
afterEach(() => c.run());

interface CannonResult {
  requests: { total: number };
  latency: { p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const log = (line: string) => writeSync(2, `${line}\n`);

describe('load', () => {
  it('gate server: a 3 s burst of webhook calls is answered within the 5 s timeout, no 5xx, no errors', async () => {
    const TOKEN = 'load-gate-token-0123456789';
    let weight = 20;
    let sessions = 0;
    const server = await startGateServer({
      token: TOKEN,
      sessionFor: () => {
        sessions++;
        return createGateSession({
          source: simulatedSource({
            weight: () => weight,
            badRate: { canary: 0.01, baseline: 0.01 },
            perSnapshot: 500,
          }),
          metrics: TEST_METRICS,
          judgeConfig: { minCanarySamples: 100 },
        });
      },
    });
    c.add(() => server.close());
    const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
    const body = JSON.stringify({
      name: 'platform',
      namespace: 'shop',
      phase: 'Progressing',
      metadata: { weight: '20' },
    });
    const common = { duration: 3, timeout: 5, method: 'POST', body };
    const [authorised, refused] = await Promise.all([
      autocannon({
        ...common,
        url: `${server.url}/v1/flagger/confirm-promotion`,
        connections: 16,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      }),
      autocannon({
        ...common,
        url: `${server.url}/v1/flagger/rollback`,
        connections: 8,
        headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token' },
      }),
    ]);
    weight = 0;
    log(
      `gate load: authorised ${authorised.requests.total} req (2xx ${authorised['2xx']}, 4xx ${authorised['4xx']}, 5xx ${authorised['5xx']}, errors ${authorised.errors}, timeouts ${authorised.timeouts}, p99 ${authorised.latency.p99} ms, max ${authorised.latency.max} ms); refused ${refused.requests.total} req (4xx ${refused['4xx']}, p99 ${refused.latency.p99} ms)`,
    );
    for (const r of [authorised, refused]) {
      expect(r.errors).toBe(0);
      expect(r.timeouts).toBe(0);
      expect(r['5xx']).toBe(0);
      expect(r.latency.max).toBeLessThan(5_000);
    }
    expect(authorised.requests.total).toBeGreaterThan(0);
    // Every authorised call got a decision (200 allow, 412 refuse); every other one 401.
    expect(authorised['2xx'] + (authorised.statusCodeStats['412']?.count ?? 0)).toBe(
      authorised.requests.total,
    );
    expect(refused.statusCodeStats['401']?.count).toBe(refused.requests.total);
    expect(sessions).toBe(1);
    const health = await request(`${server.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('replayer at its benchmark rate (≈1000 orders/s scheduled): every order accounted for, none lost', async () => {
    const N = 2000;
    const dir = c.tempDir('sg-rel-load-');
    const file = join(dir, 'day.jsonl');
    // One order per virtual second, replayed at speed 1000: 1000 orders/s scheduled,
    // above the replayer's measured 800–1200 orders/s on this class of machine.
    writeFileSync(
      file,
      `${sampleOrders(N, { everyMs: 1000, prefix: 'ld' })
        .map((o) => JSON.stringify(o))
        .join('\n')}\n`,
    );
    const sink = await startSink({ clock: false });
    c.add(() => sink.close());
    const result = await replay({
      records: readTraffic(file),
      target: sink.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: 1000,
      concurrency: 64,
      settleTimeoutMs: 10_000,
      pollIntervalMs: 50,
    });
    log(
      `replay load: ${N} orders, throughput ${Math.round(result.schedule.throughput)}/s, schedule lag p99 ${Math.round(result.schedule.lagMs.p99)} ms, latency p99 ${Math.round(result.latencyMs.p99)} ms, max in flight at the sink ${sink.maxInFlight}`,
    );
    expect(result.balanced).toBe(true);
    expect(result.lines).toMatchObject({ read: N, sent: N, failed: 0, quarantined: 0 });
    expect(result.orders).toMatchObject({ accepted: N, lost: 0, failed: 0 });
    const ids = sink.arrivals.map((a) => a.id);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  });
});
