import { readFileSync, writeSync } from 'node:fs';
import Fastify from 'fastify';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { withRetries } from '../../canary/actuators/actuator.ts';
import { routerActuator } from '../../canary/actuators/router.ts';
import { virtualRolloutClock } from '../../canary/controller/clock.ts';
import type { RolloutConfig } from '../../canary/controller/config.ts';
import { type RolloutOutcome, runRollout } from '../../canary/controller/rollout.ts';
import { simulatedSource, TEST_METRICS } from '../../canary/controller/testing.ts';
import type { CanaryEvent } from '../../canary/journal/events.ts';
import { openCanaryJournal } from '../../canary/journal/journal.ts';
import { PrometheusSource } from '../../canary/sources/prometheus-source.ts';
import { isShipgateError } from '../../core/errors.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { type FakeAnswer, startFakePrometheus } from '../support/fake-prometheus.ts';
import { cleanups } from './helpers.ts';

/**
 * Fault matrix, canary side: a rollout driving the real sandbox router (in-process
 * world, virtual clock at 3600×) while its metric source or the router's admin API
 * misbehaves. Whatever the fault, the rollout must never promote; missing data becomes
 * inconclusive and then the configured policy (rollback); an actuator that cannot roll
 * back must fail loudly, never journal "rolled back".
 */
const c = cleanups();
afterEach(() => c.run());

const MINUTE = 60_000;
const CONFIG: Partial<RolloutConfig> = {
  steps: [10, 50, 100],
  minStepMs: 30 * MINUTE,
  minStepSamples: 5,
  intervalMs: 15 * MINUTE,
  maxTotalMs: 24 * 60 * MINUTE,
};

async function world(): Promise<World> {
  const w = await startWorld({ speed: 3600, latency: 'none', seed: 3 });
  c.add(() => w.stop());
  return w;
}

async function routerState(w: World) {
  const res = await request(`${w.urls.router}/admin/state`, {
    headers: { authorization: `Bearer ${w.config.adminToken}` },
  });
  return (await res.body.json()) as { canaryWeight: number; phase: string };
}

function journalEvents(file: string): CanaryEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CanaryEvent)
    .filter((e) => e.type.startsWith('canary.'));
}

async function rolloutAgainstFakePrometheus(respond: () => FakeAnswer, options: { down?: boolean } = {}) {
  const w = await world();
  const prom = await startFakePrometheus(respond);
  c.add(() => prom.close());
  // "Down": nothing listens on its port any more (connection refused at every query).
  if (options.down) await prom.close();
  const dir = c.tempDir('sg-rel-canary-');
  const folder = openRunFolder(dir);
  const source = new PrometheusSource({
    url: prom.url,
    concurrency: 32,
    retry: { timeoutMs: 150, attempts: 2, totalMs: 600, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const outcome = await runRollout({
    source,
    actuator: withRetries(routerActuator({ url: w.urls.router, token: w.config.adminToken }), {
      attempts: 3,
      baseDelayMs: 20,
    }),
    journal: openCanaryJournal(folder.journal),
    clock: virtualRolloutClock(w.clock),
    config: CONFIG,
  });
  return { outcome, events: journalEvents(folder.journal.file), state: await routerState(w), prom };
}

function expectPolicyRollback(outcome: RolloutOutcome, events: CanaryEvent[], state: { phase: string }) {
  expect(outcome.outcome).toBe('rolled_back');
  expect(outcome.exitCode).toBe(3); // inconclusive → policy, not "failed on evidence"
  const evaluations = events.filter((e) => e.type === 'canary.evaluation');
  expect(evaluations.length).toBeGreaterThanOrEqual(5);
  for (const e of evaluations) expect(e.result.verdict).toBe('inconclusive');
  expect(events.some((e) => e.type === 'canary.actuated' && e.op === 'promote')).toBe(false);
  expect(events.filter((e) => e.type === 'canary.finished')).toHaveLength(1);
  expect(state.phase).toBe('rolled_back');
  writeSync(
    2,
    `canary fault: ${evaluations.length} inconclusive evaluations → ${outcome.outcome} (exit ${outcome.exitCode}): ${outcome.reason}\n`,
  );
}

const GARBAGE: FakeAnswer[] = [
  { body: '<html><body>502 Bad Gateway</body></html>' },
  { body: '{"status":"success","data":{"resultType":"vector","result":[' },
  {
    body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'abc'] }] } },
  },
  {
    body: {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { version: 'canary' }, value: [1, 'NaN'] }] },
    },
  },
  { body: { status: 'success', data: { resultType: 'matrix', result: 'nope' } } },
  { body: { status: 'success' } },
  {
    body: { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' },
  },
  { status: 500, body: 'internal error' },
  { body: JSON.stringify(JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`)) },
  { body: '\u0000\uffff\ud800garbage' },
];

describe('fault matrix: canary rollout against the sandbox router', () => {
  it('Prometheus slower than the query timeout: inconclusive checks, then rollback by policy, never promotion', async () => {
    const { outcome, events, state, prom } = await rolloutAgainstFakePrometheus(() => ({
      body: { status: 'success', data: { resultType: 'vector', result: [] } },
      delayMs: 2_000,
    }));
    expectPolicyRollback(outcome, events, state);
    expect(prom.requests.length).toBeGreaterThan(0);
    expect(outcome.reason).toMatch(/inconclusive|missing|budget/i);
  });

  it('Prometheus down (connection refused) from the first query: inconclusive, then rollback by policy', async () => {
    const { outcome, events, state, prom } = await rolloutAgainstFakePrometheus(() => ({ body: {} }), {
      down: true,
    });
    expectPolicyRollback(outcome, events, state);
    expect(prom.requests).toHaveLength(0);
  });

  it('Prometheus answering garbage (HTML, truncated JSON, bad values, wrong shapes, errors): never promotion', async () => {
    let n = 0;
    const { outcome, events, state } = await rolloutAgainstFakePrometheus(
      () => GARBAGE[n++ % GARBAGE.length]!,
    );
    expectPolicyRollback(outcome, events, state);
    expect(n).toBeGreaterThanOrEqual(GARBAGE.length);
  });

  it('router admin API failing on rollback: retries, then SG_ACTUATOR_FAILED (exit 3), never "rolled back"', async () => {
    const w = await world();
    // A proxy in front of the router that breaks only the rollback call (503, then resets).
    let rollbackCalls = 0;
    const proxy = Fastify({ logger: false, forceCloseConnections: true });
    proxy.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    proxy.all('/*', async (req, reply) => {
      if (req.method === 'POST' && req.url === '/admin/rollback') {
        rollbackCalls++;
        if (rollbackCalls % 2 === 0) {
          req.raw.socket.destroy();
          return reply;
        }
        return reply.code(503).send({ error: 'admin backend down' });
      }
      const res = await request(`${w.urls.router}${req.url}`, {
        method: req.method as 'GET',
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body: typeof req.body === 'string' ? req.body : undefined,
      });
      return reply
        .code(res.statusCode)
        .type('application/json')
        .send(await res.body.text());
    });
    const proxyUrl = await proxy.listen({ host: '127.0.0.1', port: 0 });
    c.add(() => proxy.close());

    const folder = openRunFolder(c.tempDir('sg-rel-actuator-'));
    let weight = 0;
    const actuator = withRetries(
      routerActuator({ url: proxyUrl, token: w.config.adminToken, timeoutMs: 1000 }),
      {
        attempts: 4,
        baseDelayMs: 10,
      },
    );
    const tracking = {
      ...actuator,
      setWeight: async (n: number) => {
        const s = await actuator.setWeight(n);
        weight = n;
        return s;
      },
    };
    const error = await runRollout({
      source: simulatedSource({ weight: () => weight, badRate: { canary: 0.3, baseline: 0.01 } }),
      metrics: TEST_METRICS,
      actuator: tracking,
      journal: openCanaryJournal(folder.journal),
      clock: virtualRolloutClock(w.clock),
      config: CONFIG,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isShipgateError(error) && error.code).toBe('SG_ACTUATOR_FAILED');
    expect(isShipgateError(error) && error.exitCode).toBe(3);
    expect(String((error as Error).message)).toMatch(/rollback .* failed after 4 attempts/);
    expect(String((error as Error).message)).not.toContain(w.config.adminToken);
    expect(rollbackCalls).toBe(4);
    writeSync(2, `router fault: ${(error as Error).message}\n`);
    const events = journalEvents(folder.journal.file);
    expect(events.some((e) => e.type === 'canary.actuation-failed' && e.op === 'rollback')).toBe(true);
    expect(events.some((e) => e.type === 'canary.finished')).toBe(false);
    expect(events.some((e) => e.type === 'canary.actuated' && e.op === 'rollback')).toBe(false);
    // The router really was not rolled back: the journal and the world agree.
    expect((await routerState(w)).phase).not.toBe('rolled_back');
  });
});
