import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { withRetries } from './actuator.ts';
import { argoActuator } from './argo.ts';
import { createActuator } from './create.ts';
import { routerActuator } from './router.ts';
import { webhookActuator } from './webhook.ts';

const servers: FastifyInstance[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

/** A router admin API that fails the first `failures` calls with 500, then behaves. */
async function fakeRouter(failures: number, token = 'tok') {
  const calls: string[] = [];
  const state = { canaryWeight: 0, phase: 'stable', revision: 0, updatedAt: new Date().toISOString() };
  const app = Fastify();
  app.addHook('onRequest', async (req, reply) => {
    calls.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return reply.code(401).send({ error: 'unauthorized' });
    if (calls.length <= failures) return reply.code(500).send({ error: 'boom' });
  });
  app.get('/admin/state', async () => state);
  app.put('/admin/weight', async (req) => {
    state.canaryWeight = (req.body as { weight: number }).weight;
    state.phase = 'progressing';
    state.revision++;
    return state;
  });
  app.post('/admin/rollback', async () => {
    if (state.phase !== 'rolled_back')
      Object.assign(state, { canaryWeight: 0, phase: 'rolled_back', revision: state.revision + 1 });
    return state;
  });
  app.post('/admin/promote', async () => {
    if (state.phase !== 'promoted')
      Object.assign(state, { canaryWeight: 100, phase: 'promoted', revision: state.revision + 1 });
    return state;
  });
  servers.push(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, calls, state };
}

const noSleep = async () => {};

describe('router actuator with retries', () => {
  it('retries 500s with backoff and then succeeds', async () => {
    const router = await fakeRouter(2);
    const delays: number[] = [];
    const actuator = withRetries(
      routerActuator({ url: router.url, token: 'tok' }),
      { attempts: 5, baseDelayMs: 100 },
      async (ms) => {
        delays.push(ms);
      },
    );
    const state = await actuator.rollback();
    expect(state).toMatchObject({ phase: 'rolled_back', weight: 0 });
    expect(router.calls).toEqual(['POST /admin/rollback', 'POST /admin/rollback', 'POST /admin/rollback']);
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThanOrEqual(100); // exponential: second delay's floor is the first's cap
  });

  it('fails loudly with SG_ACTUATOR_FAILED (exit 3) when the router keeps answering 500', async () => {
    const router = await fakeRouter(1000);
    const actuator = withRetries(routerActuator({ url: router.url, token: 'tok' }), { attempts: 4 }, noSleep);
    const error = await actuator.rollback().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isShipgateError(error)).toBe(true);
    if (!isShipgateError(error)) return;
    expect(error.code).toBe('SG_ACTUATOR_FAILED');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/rollback through sandbox router .* failed after 4 attempts: .*500/);
    expect(router.calls).toHaveLength(4);
    expect(router.state.phase).toBe('stable');
  });

  it('does not retry a refused token, and never puts the token in the message', async () => {
    const router = await fakeRouter(0, 'right');
    const actuator = withRetries(
      routerActuator({ url: router.url, token: 'wrong-secret' }),
      { attempts: 5 },
      noSleep,
    );
    const error = (await actuator.setWeight(5).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/failed after 1 attempts: .*401/);
    expect(error.message).not.toContain('wrong-secret');
    expect(router.calls).toHaveLength(1);
  });

  it('sets weight, promotes idempotently and reads state', async () => {
    const router = await fakeRouter(0);
    const actuator = routerActuator({ url: router.url, token: 'tok' });
    expect(await actuator.setWeight(5)).toMatchObject({ weight: 5, phase: 'progressing' });
    const first = await actuator.promote();
    const again = await actuator.promote();
    expect(again.revision).toBe(first.revision);
    expect(await actuator.state()).toMatchObject({ weight: 100, phase: 'promoted' });
  });
});

describe('webhook actuator', () => {
  it('POSTs the action as JSON with the bearer token', async () => {
    const received: unknown[] = [];
    const app = Fastify();
    app.post('/hook', async (req, reply) => {
      if (req.headers.authorization !== 'Bearer hooktok') return reply.code(401).send();
      received.push(req.body);
      return { ok: true };
    });
    servers.push(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const actuator = webhookActuator({ url: `${url}/hook`, token: 'hooktok', rolloutId: 'r1' });
    expect(await actuator.setWeight(25)).toMatchObject({ weight: 25, phase: 'progressing' });
    expect(await actuator.rollback()).toMatchObject({ weight: 0, phase: 'rolled_back' });
    expect(received).toEqual([
      { action: 'set-weight', weight: 25, rolloutId: 'r1' },
      { action: 'rollback', rolloutId: 'r1' },
    ]);
  });
});

describe('argo rollouts actuator', () => {
  it('drives kubectl argo rollouts (fake kubectl on PATH records its arguments)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-kubectl-'));
    try {
      const log = join(dir, 'calls.log');
      const weightFile = join(dir, 'weight');
      writeFileSync(weightFile, '1');
      // The fake: records every call; `get rollout` prints the current weight; promote bumps it.
      writeFileSync(
        join(dir, 'kubectl'),
        `#!/bin/sh\necho "$@" >> "${log}"\ncase "$1 $2 $3" in\n  "get rollout"*) cat "${weightFile}";;\n  "argo rollouts promote") if [ "$5" != "--full" ] && [ "$4" != "--full" ]; then echo 5 > "${weightFile}"; fi; echo promoted;;\n  "argo rollouts status") echo Degraded;;\n  *) echo ok;;\nesac\n`,
      );
      chmodSync(join(dir, 'kubectl'), 0o755);
      const env = { PATH: `${dir}:${process.env.PATH}` };
      const actuator = argoActuator({ rollout: 'platform', namespace: 'shop', env });
      await actuator.setWeight(1); // Argo's first step: already there, nothing released
      await actuator.setWeight(5); // releases the pause
      await actuator.setWeight(5); // repeated (resume): already at 5, nothing released
      await actuator.promote();
      await actuator.rollback();
      expect(await actuator.state()).toMatchObject({ phase: 'rolled_back' });
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls).toEqual([
        'get rollout platform -n shop -o jsonpath={.status.canary.weights.canary.weight}',
        'get rollout platform -n shop -o jsonpath={.status.canary.weights.canary.weight}',
        'argo rollouts promote platform -n shop',
        'get rollout platform -n shop -o jsonpath={.status.canary.weights.canary.weight}',
        'argo rollouts promote --full platform -n shop',
        'argo rollouts abort platform -n shop',
        'argo rollouts status --timeout 1s platform -n shop',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing kubectl becomes a loud SG_ACTUATOR_FAILED after retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-kubectl-'));
    try {
      writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\necho "error: the server is unreachable" >&2\nexit 1\n');
      chmodSync(join(dir, 'kubectl'), 0o755);
      const actuator = withRetries(
        argoActuator({ rollout: 'platform', env: { PATH: `${dir}:${process.env.PATH}` } }),
        { attempts: 3 },
        noSleep,
      );
      await expect(actuator.rollback()).rejects.toThrow(
        /rollback through argo rollouts platform failed after 3 attempts: .*unreachable/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('http actuator (a router described as requests)', () => {
  /** A router with its own API: percent under another name, a key header, 202 for async actions. */
  async function ownRouter() {
    const received: { method: string; url: string; key?: string; body: unknown }[] = [];
    const state = { split: { canary: 0 }, status: 'stable' };
    const app = Fastify();
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers['x-api-key'] !== 'k-123') return reply.code(403).send();
    });
    app.addHook('preHandler', async (req) => {
      received.push({ method: req.method, url: req.url, body: req.body ?? null });
    });
    app.post('/api/v2/traffic', async (req) => {
      state.split.canary = (req.body as { canaryPercent: number }).canaryPercent;
      state.status = 'progressing';
      return state;
    });
    app.patch('/api/v2/rollouts/:id', async (_req, reply) => {
      Object.assign(state, { split: { canary: 100 }, status: 'promoted' });
      return reply.code(202).send(state);
    });
    app.delete('/api/v2/rollouts/:id', async (_req, reply) => {
      Object.assign(state, { split: { canary: 0 }, status: 'rolled_back' });
      return reply.code(202).send(state);
    });
    app.get('/api/v2/traffic', async () => state);
    servers.push(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, received, state };
  }

  const spec = (url: string, env: Record<string, string | undefined>) => ({
    kind: 'http' as const,
    rolloutId: 'run-7',
    env,
    requests: {
      setWeight: {
        method: 'POST' as const,
        url: `${url}/api/v2/traffic`,
        headers: { 'x-api-key': '{{env.ROUTER_KEY}}' },
        body: '{"canaryPercent": {{weight}}, "rollout": {{rolloutId}}}',
      },
      promote: {
        method: 'PATCH' as const,
        url: `${url}/api/v2/rollouts/{{rolloutId}}`,
        headers: { 'x-api-key': '{{env.ROUTER_KEY}}' },
        body: '{"state": "done"}',
        expectStatus: [202],
      },
      rollback: {
        method: 'DELETE' as const,
        url: `${url}/api/v2/rollouts/{{rolloutId}}`,
        headers: { 'x-api-key': '{{env.ROUTER_KEY}}' },
        expectStatus: [202],
      },
      state: {
        method: 'GET' as const,
        url: `${url}/api/v2/traffic`,
        headers: { 'x-api-key': '{{env.ROUTER_KEY}}' },
      },
    },
    answer: { weight: 'split.canary', phase: 'status' },
  });
  const fail = (setting: string): never => {
    throw new Error(`missing ${setting}`);
  };

  it("sends each action as configured, with the secret from the environment, and reads the router's answer", async () => {
    const router = await ownRouter();
    const actuator = createActuator(spec(router.url, { ROUTER_KEY: 'k-123' }), { missing: fail });
    expect(actuator.name).toBe(`http router ${router.url}`);
    expect(await actuator.setWeight(25)).toMatchObject({ weight: 25, phase: 'progressing' });
    expect(await actuator.promote()).toMatchObject({ weight: 100, phase: 'promoted' });
    expect(await actuator.rollback()).toMatchObject({ weight: 0, phase: 'rolled_back' });
    expect(await actuator.state()).toMatchObject({ weight: 0, phase: 'rolled_back' });
    expect(router.received).toEqual([
      { method: 'POST', url: '/api/v2/traffic', body: { canaryPercent: 25, rollout: 'run-7' } },
      { method: 'PATCH', url: '/api/v2/rollouts/run-7', body: { state: 'done' } },
      { method: 'DELETE', url: '/api/v2/rollouts/run-7', body: null },
      { method: 'GET', url: '/api/v2/traffic', body: null },
    ]);
  });

  it('names a missing secret variable, refuses an unexpected status, never puts the secret in a message', async () => {
    const router = await ownRouter();
    expect(() => createActuator(spec(router.url, {}), { missing: fail })).toThrow(/ROUTER_KEY is not set/);
    const s = spec(router.url, { ROUTER_KEY: 'k-123' });
    // The router answers 200 where 201 was promised: the action is not confirmed.
    s.requests.setWeight = { ...s.requests.setWeight, expectStatus: [201] } as typeof s.requests.setWeight;
    const strict = createActuator(s, { missing: fail, retry: { attempts: 2, baseDelayMs: 1 } });
    const error = (await strict.setWeight(5).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /set weight 5% through http router .* failed after 2 attempts: POST \/api\/v2\/traffic answered 200/,
    );
    expect(error.message).not.toContain('k-123');
    const wrongKey = createActuator(spec(router.url, { ROUTER_KEY: 'nope' }), { missing: fail });
    await expect(wrongKey.rollback()).rejects.toThrow(
      /failed after 1 attempts: .*403: the token was refused/,
    );
  });
});
