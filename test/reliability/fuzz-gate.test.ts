import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGateServer } from '../../canary/server/app.ts';
import { FLAGGER_HOOKS } from '../../canary/server/flagger.ts';
import type { GateSession } from '../../canary/server/session.ts';
import { fuzzRuns, fuzzTimeout } from './helpers.ts';

/**
 * Hostile input: gate-server request bodies and headers, as anyone on the network
 * could send them. Through fastify's inject (no sockets, so thousands of cases run in
 * seconds) into the real app. Properties: the server never answers 5xx; a caller
 * without the token gets 401 on every gated route and never reaches a judgement; with the
 * token, a malformed body is a 400 naming the field, never a judgement on garbage.
 */
const TOKEN = 'fuzz-gate-token-0123456789abcdef';
let evaluations = 0;
const session: GateSession = {
  async evaluate() {
    evaluations++;
    return {
      judge: 'sequential',
      verdict: 'inconclusive',
      inconclusiveKind: 'not-enough-evidence',
      reason: 'fuzz',
      metrics: [],
    };
  },
  get last() {
    return undefined;
  },
  get evaluations() {
    return evaluations;
  },
};
const { app } = buildGateServer({ token: TOKEN, sessionFor: () => session });
afterAll(() => app.close());

const paths = fc.oneof(
  fc.constantFrom(
    ...FLAGGER_HOOKS.map((h) => `/v1/flagger/${h}`),
    '/v1/argo/verdict',
    '/healthz',
    '/metrics',
  ),
  fc.constantFrom(
    '/v1/argo/verdict?weight=abc',
    '/v1/argo/verdict?weight=1e400',
    '/v1/argo/verdict?rollout=%00',
    '/v1/flagger/../argo/verdict',
    '//v1//flagger//rollout',
    '/v1/flagger/rollout?__proto__=1',
  ),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);
const bodies = fc.oneof(
  fc.json(),
  fc.string(),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc
    .record({
      name: fc.oneof(fc.string(), fc.constant('')),
      namespace: fc.string(),
      phase: fc.option(fc.string()),
      metadata: fc.option(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer()))),
    })
    .map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 3000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.constantFrom(
    '{"__proto__":{"admin":true},"name":"a","namespace":"b"}',
    '{"constructor":{"prototype":{"x":1}},"name":"a","namespace":"b"}',
    '\ufeff{"name":"a","namespace":"b"}',
  ),
);
const authHeader = fc.oneof(
  fc.constant(undefined),
  fc.string().map((s) => `Bearer ${s}`),
  fc.constantFrom(
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(1)}`,
    `bearer  ${TOKEN.toUpperCase()}`,
    `Basic ${TOKEN}`,
    TOKEN,
    `Bearer ${'a'.repeat(8000)}`,
  ),
);
const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
  '',
);

/** fastify's hasRoute takes a route pattern: a fuzzed path with a `*` mid-way is no route, not an error. */
function isRoute(method: string, path: string): boolean {
  try {
    return app.hasRoute({ method: method as 'POST', url: path });
  } catch {
    return false;
  }
}

describe('fuzz: gate server', () => {
  it(
    'without the right token: never 5xx, never a judgement',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
          paths,
          bodies,
          authHeader,
          contentType,
          async (method, url, body, auth, type) => {
            const before = evaluations;
            const headers: Record<string, string> = {};
            if (auth !== undefined) headers.authorization = auth;
            if (type) headers['content-type'] = type;
            const res = await app.inject({
              method: method as 'POST',
              url,
              headers,
              payload: method === 'GET' ? undefined : body,
            });
            expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
            const path = url.split('?')[0]!;
            // A gated route answers 401 whatever the body held; an unknown one never judges.
            if (path === '/healthz' || path === '/metrics') expect(res.statusCode).not.toBe(401);
            else if (isRoute(method, path)) expect(res.statusCode, `${method} ${url}`).toBe(401);
            else expect([200, 412]).not.toContain(res.statusCode);
            expect(evaluations).toBe(before);
          },
        ),
        { numRuns: fuzzRuns(500) },
      );
    },
    fuzzTimeout(500, 5),
  );

  it(
    'with the token: never 5xx; a bad body is a 4xx that names the field, only a valid one is judged',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FLAGGER_HOOKS), bodies, contentType, async (hook, body, type) => {
          const before = evaluations;
          const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
          if (type) headers['content-type'] = type;
          const res = await app.inject({
            method: 'POST',
            url: `/v1/flagger/${hook}`,
            headers,
            payload: body,
          });
          expect(res.statusCode, res.body.slice(0, 200)).toBeLessThan(500);
          if (res.statusCode === 400)
            expect(res.json().message, body.slice(0, 80)).toMatch(
              /body|name|namespace|metadata|JSON|Unexpected|content|Body/i,
            );
          if (evaluations > before) expect([200, 412]).toContain(res.statusCode);
        }),
        { numRuns: fuzzRuns(500) },
      );
    },
    fuzzTimeout(500, 5),
  );

  it('refuses a body over the 16 KiB limit, 401 without the token and 413 with it, before judging', async () => {
    const before = evaluations;
    for (const [auth, status] of [
      [undefined, 401],
      [`Bearer ${TOKEN}`, 413],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/flagger/rollout',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        payload: JSON.stringify({ name: 'a', namespace: 'b', metadata: { pad: 'x'.repeat(17 * 1024) } }),
      });
      expect(res.statusCode).toBe(status);
    }
    expect(evaluations).toBe(before);
  });
});
