import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryActuator, simulatedSource, TEST_METRICS } from '../controller/testing.ts';
import { startGateServer } from './app.ts';
import { createGateSession } from './session.ts';

const TOKEN = 'gate-token-0123456789';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function gate(badRate: { canary: number; baseline: number }) {
  const actuator = memoryActuator();
  actuator.weight = 20;
  const server = await startGateServer({
    token: TOKEN,
    sessionFor: () =>
      createGateSession({
        source: simulatedSource({ weight: () => actuator.weight, badRate, perSnapshot: 2000 }),
        metrics: TEST_METRICS,
        judgeConfig: { minCanarySamples: 100 },
      }),
  });
  closers.push(server.close);
  return server;
}

const flagger = { name: 'platform', namespace: 'shop', phase: 'Progressing', checksum: 'abc' };
const post = (url: string, body: unknown, token: string | null = TOKEN) =>
  request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('gate server', () => {
  it('binds to loopback by default', async () => {
    const server = await gate({ canary: 0.01, baseline: 0.01 });
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const address = server.app.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('refuses a missing or wrong token with 401 and counts it', async () => {
    const server = await gate({ canary: 0.01, baseline: 0.01 });
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await post(`${server.url}/v1/flagger/rollout`, flagger, token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/Bearer/);
      await res.body.dump();
    }
    const argo = await request(`${server.url}/v1/argo/verdict`);
    expect(argo.statusCode).toBe(401);
    await argo.body.dump();
    const metrics = await (await request(`${server.url}/metrics`)).body.text();
    expect(metrics).toMatch(
      /shipgate_server_requests_total\{hook="\/v1\/flagger\/rollout",answer="unauthorized"\} 4/,
    );
    // Refused calls judge nothing.
    expect(metrics).toMatch(/^shipgate_gate_verdicts_total\{layer="canary",verdict="fail"\} 0$/m);
    expect(metrics).not.toMatch(/^shipgate_gate_verdicts_total\{.*\} [1-9]/m);
  });

  it('refuses an oversized body with 413 before judging', async () => {
    const server = await gate({ canary: 0.01, baseline: 0.01 });
    const res = await post(`${server.url}/v1/flagger/rollout`, {
      ...flagger,
      metadata: { pad: 'x'.repeat(64 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
  });

  it('Flagger: allows rollout on a healthy canary, refuses promotion until the evidence is there', async () => {
    const server = await gate({ canary: 0.01, baseline: 0.01 });
    const pre = await post(`${server.url}/v1/flagger/pre-rollout`, flagger);
    expect(pre.statusCode).toBe(200);
    await pre.body.dump();
    // The first look is the starting point only: no evidence, so no promotion.
    const early = await post(`${server.url}/v1/flagger/confirm-promotion`, flagger);
    expect(early.statusCode).toBe(412);
    expect(await early.body.json()).toMatchObject({ allowed: false, verdict: 'inconclusive' });
    let promoted = false;
    for (let i = 0; i < 5 && !promoted; i++) {
      const step = await post(`${server.url}/v1/flagger/rollout`, flagger);
      expect(step.statusCode).toBe(200);
      await step.body.dump();
      const res = await post(`${server.url}/v1/flagger/confirm-promotion`, flagger);
      promoted = res.statusCode === 200;
      await res.body.dump();
    }
    expect(promoted).toBe(true);
    const rollback = await post(`${server.url}/v1/flagger/rollback`, flagger);
    expect(rollback.statusCode).toBe(412); // not failing: do not roll back
    await rollback.body.dump();
  });

  it('Flagger: accepts the token from metadata; a bad canary gets rollback=200 and refused checks', async () => {
    const server = await gate({ canary: 0.4, baseline: 0.01 });
    const withMeta = { ...flagger, metadata: { token: TOKEN, weight: '20' } };
    await (await post(`${server.url}/v1/flagger/rollout`, withMeta, null)).body.dump();
    const check = await post(`${server.url}/v1/flagger/rollout`, withMeta, null);
    expect(check.statusCode).toBe(412);
    expect(await check.body.json()).toMatchObject({ verdict: 'fail', allowed: false });
    const rollback = await post(`${server.url}/v1/flagger/rollback`, withMeta, null);
    expect(rollback.statusCode).toBe(200);
    await rollback.body.dump();
    const confirm = await post(`${server.url}/v1/flagger/confirm-rollout`, withMeta, null);
    expect(confirm.statusCode).toBe(412);
    await confirm.body.dump();
    const metrics = await (await request(`${server.url}/metrics`)).body.text();
    // The catalogue's names and label sets (canary/metrics/names.ts), which the dashboard reads.
    // Judged: the first rollout call (inconclusive, a starting point), then rollout and rollback (fail).
    expect(metrics).toMatch(/^shipgate_gate_verdicts_total\{layer="canary",verdict="fail"\} 2$/m);
    expect(metrics).toMatch(/^shipgate_gate_verdicts_total\{layer="canary",verdict="inconclusive"\} 1$/m);
    expect(metrics).toMatch(
      /^shipgate_gate_checks_total\{layer="canary",metric="error_rate",status="fail"\} 2$/m,
    );
    expect(metrics).toMatch(/^shipgate_canary_weight 20$/m);
    expect(metrics).toMatch(
      /^shipgate_server_requests_total\{hook="flagger\/rollout",answer="refused"\} \d+$/m,
    );
    expect(metrics).not.toContain('caller=');
    expect(metrics).not.toContain('shop/platform');
  });

  it('Argo web provider: 200 with a verdict field successCondition can test', async () => {
    const server = await gate({ canary: 0.4, baseline: 0.01 });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const first = await request(`${server.url}/v1/argo/verdict?rollout=platform&namespace=shop&weight=20`, {
      headers,
    });
    expect(first.statusCode).toBe(200);
    expect(await first.body.json()).toMatchObject({ verdict: 'inconclusive', pass: false, fail: false });
    const second = await request(`${server.url}/v1/argo/verdict?rollout=platform&namespace=shop`, {
      headers,
    });
    const body = (await second.body.json()) as {
      verdict: string;
      fail: boolean;
      metrics: { metric: string }[];
    };
    expect(body.verdict).toBe('fail');
    expect(body.fail).toBe(true);
    expect(body.metrics[0]!.metric).toBe('error_rate');
  });
});
