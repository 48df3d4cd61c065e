import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateServer } from '../../canary/server/app.ts';
import type { GateSession } from '../../canary/server/session.ts';
import { type RouteEntry, routesOf } from '../../core/http/route-table.ts';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { assertTargetAllowed, createAllowlist } from '../../scenarios/replay/allowlist.ts';
import { filesUnder, fuzzRuns } from './helpers.ts';

/**
 * Access, across every server with protected routes: the gate server and every service
 * of the sandbox world (admin APIs of the router, the three carriers and the inventory;
 * the platforms have none). Protected routes are enumerated from the servers' own route
 * tables, so a route added later is covered without editing this file.
 */
let world: World;
let gate: Awaited<ReturnType<typeof startGateServer>>;
const TOKEN = 'access-suite-admin-token-0123456789';
const GATE_TOKEN = 'access-suite-gate-token-0123456789';
let evaluations = 0;
const session: GateSession = {
  async evaluate() {
    evaluations++;
    return { judge: 'sequential', verdict: 'inconclusive', reason: 'access suite', metrics: [] };
  },
  get last() {
    return undefined;
  },
  get evaluations() {
    return evaluations;
  },
};
beforeAll(async () => {
  world = await startWorld({ speed: 60, latency: 'none', seed: 2, adminToken: TOKEN });
  gate = await startGateServer({ token: GATE_TOKEN, sessionFor: () => session });
});
afterAll(async () => {
  await gate?.close();
  await world?.stop();
});

const ADMIN_LIMIT = 64 * 1024;

function adminEndpoints(w: World) {
  return [
    {
      service: 'router',
      read: `${w.urls.router}/admin/state`,
      write: `${w.urls.router}/admin/weight`,
      body: { weight: 0 },
    },
    ...Object.entries(w.urls.carriers).map(([name, url]) => ({
      service: name,
      read: `${url}/admin/faults`,
      write: `${url}/admin/faults`,
      body: { faults: [] },
    })),
    {
      service: 'inventory',
      read: `${w.urls.inventory}/admin/faults`,
      write: `${w.urls.inventory}/admin/faults`,
      body: { faults: [] },
    },
  ];
}

async function status(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers,
    body: init.body,
  });
  await res.body.dump();
  return res.statusCode;
}

describe('access: sandbox admin APIs', () => {
  it('bind to loopback only', () => {
    const urls = [
      world.urls.router,
      world.urls.stable,
      world.urls.canary,
      world.urls.inventory,
      ...Object.values(world.urls.carriers),
    ];
    for (const url of urls) expect(new URL(url).hostname, url).toBe('127.0.0.1');
  });

  it('refuse a missing, wrong, truncated, extended or non-bearer token; accept the right one', async () => {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
      { authorization: `Bearer ${TOKEN} ${TOKEN}` },
      { authorization: TOKEN },
      { 'x-api-key': TOKEN },
    ];
    for (const e of adminEndpoints(world)) {
      for (const headers of wrong)
        expect(await status(e.read, { headers }), `${e.service} ${JSON.stringify(headers)}`).toBe(401);
      expect(await status(e.read, { headers: { authorization: `Bearer ${TOKEN}` } }), e.service).toBe(200);
      const put = (headers: Record<string, string>) =>
        status(e.write, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(e.body),
        });
      expect(await put({}), `${e.service} write without token`).toBe(401);
      expect(await put({ authorization: `Bearer ${TOKEN}` }), `${e.service} write`).toBe(200);
    }
  });

  it('refuse oversized admin bodies with 413, with or without a token — never 200', async () => {
    const big = JSON.stringify({ faults: [], pad: 'x'.repeat(ADMIN_LIMIT + 1) });
    for (const e of adminEndpoints(world)) {
      const put = (headers: Record<string, string>) =>
        status(e.write, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...headers },
          body: big,
        });
      expect(await put({ authorization: `Bearer ${TOKEN}` }), e.service).toBe(413);
      expect(await put({}), `${e.service} without token`).toBe(401);
    }
  });
});

/** The only routes served without a token. Anything else a server registers is protected. */
const GATE_PUBLIC = new Set(['/healthz', '/metrics']);
/** Bigger than every body limit of every server (the largest is 1 MiB). */
const OVERSIZED = 2 * 1024 * 1024;

interface Guarded {
  server: string;
  url: string;
  token: string;
  route: RouteEntry;
  path: string;
}

function protectedRoutes(): Guarded[] {
  const servers = [
    {
      name: 'gate',
      url: gate.url,
      token: GATE_TOKEN,
      routes: routesOf(gate.app),
      guarded: (u: string) => !GATE_PUBLIC.has(u),
    },
    ...world.services.map((s) => ({ ...s, token: TOKEN, guarded: (u: string) => u.startsWith('/admin') })),
  ];
  return servers.flatMap((s) =>
    s.routes
      .filter((r) => s.guarded(r.url))
      .map((route) => ({
        server: s.name,
        url: s.url,
        token: s.token,
        route,
        path: route.url.replace(/:\w+/g, 'x1'),
      })),
  );
}

const hasBody = (method: string) => !['GET', 'HEAD'].includes(method);
const WRONG_AUTH: (string | undefined)[] = [
  undefined,
  'Bearer wrong-token',
  'Bearer',
  'Basic d3Jvbmc6d3Jvbmc=',
];
const CONTENT_TYPES = ['application/json', 'text/plain'];
const HUGE = JSON.stringify({ pad: 'x'.repeat(OVERSIZED) });
/** Empty, malformed, hostile, valid-looking (with a wrong body token) and oversized bodies. */
const BODIES: (string | undefined)[] = [
  undefined,
  '{}',
  '{"name":',
  '\u0000\u00ff\u00fe not json',
  '{"__proto__":{"admin":true}}',
  JSON.stringify({
    name: 'a',
    namespace: 'b',
    weight: 1,
    faults: [],
    state: 's',
    metadata: { token: 'wrong' },
  }),
  HUGE,
];

async function send(g: Guarded, method: string, auth: string | undefined, body?: string, type?: string) {
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.authorization = auth;
  if (body !== undefined && type) headers['content-type'] = type;
  const res = await request(`${g.url}${g.path}`, { method: method as 'POST', headers, body }).catch(
    (error: Error) => ({ statusCode: -1, text: error.message }),
  );
  if ('body' in res) return { statusCode: res.statusCode, text: await res.body.text() };
  return res;
}

/** Sends the headers and 1 KiB of a body declared as 64 MiB; the server must answer and hang up. */
async function answerWithoutReading(g: Guarded, auth?: string) {
  const { hostname, port } = new URL(g.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let response = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    response += chunk;
  });
  socket.on('error', () => undefined);
  const lines = [
    `${g.route.method} ${g.path} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${64 * 1024 * 1024}`,
    ...(auth ? [`authorization: ${auth}`] : []),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n{"pad":"${'x'.repeat(1024)}`);
  const hungUp = await Promise.race([
    once(socket, 'close').then(() => true),
    sleep(10_000).then(() => false),
  ]);
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]), hungUp };
}

describe('access: every protected route checks the token first', () => {
  it('the route tables are not empty: the gate hooks and every admin API are enumerated', () => {
    const routes = protectedRoutes();
    const servers = new Set(routes.map((g) => g.server));
    expect([...servers].sort()).toEqual(['gate', 'inventory', 'labelfast', 'parcelly', 'router', 'steppe']);
    expect(routes.filter((g) => g.route.url.startsWith('/v1/flagger/')).length).toBe(7);
    expect(routes.some((g) => g.route.url === '/v1/argo/verdict')).toBe(true);
    // The platforms serve no protected route: their order API is the system under test.
    expect(world.services.filter((s) => s.name === 'stable' || s.name === 'canary').length).toBe(2);
  });

  it('no, wrong or malformed token, whatever the body: 401 with one small body, and nothing done', async () => {
    const before = { evaluations, router: await routerRevision() };
    const refusals = async (g: Guarded) => {
      const answers: { what: string; status: number; text: string }[] = [];
      for (const auth of WRONG_AUTH)
        for (const body of hasBody(g.route.method) ? BODIES : [undefined])
          for (const type of body === undefined
            ? [undefined]
            : body === HUGE
              ? ['application/json']
              : CONTENT_TYPES) {
            const res = await send(g, g.route.method, auth, body, type);
            const what = `${g.server} ${g.route.method} ${g.route.url} auth=${auth} type=${type} body=${body?.slice(0, 30)}`;
            answers.push({ what, status: res.statusCode, text: res.text });
          }
      return answers;
    };
    const routes = protectedRoutes();
    const all = await Promise.all(routes.map(refusals));
    for (const [i, answers] of all.entries()) {
      for (const a of answers) expect(a.status, `${a.what} → ${a.text.slice(0, 200)}`).toBe(401);
      const bodies = new Set(routes[i]!.route.method === 'HEAD' ? [] : answers.map((a) => a.text));
      expect(bodies.size, `${answers[0]?.what}: one body for every refusal`).toBeLessThanOrEqual(1);
      for (const body of bodies) expect(body.length).toBeLessThan(200);
    }
    expect(evaluations).toBe(before.evaluations);
    expect(await routerRevision()).toBe(before.router);
    const requests = all.flat().length;
    expect(requests).toBeGreaterThan(500);
    console.info(`access: ${routes.length} protected routes, ${requests} refused requests, all 401`);
  });

  it('a body far over the limit without the token: 401 and the connection closed, the body left unread', async () => {
    const withBodies = protectedRoutes().filter((g) => hasBody(g.route.method));
    const answers = await Promise.all(withBodies.map((g) => answerWithoutReading(g)));
    for (const [i, g] of withBodies.entries())
      expect(answers[i], `${g.server} ${g.route.method} ${g.route.url}`).toEqual({
        status: 401,
        hungUp: true,
      });
    expect(withBodies.length).toBeGreaterThan(10);
    console.info(
      `access: ${withBodies.length} routes with a body answered 401 and hung up after 1 KiB of 64 MiB`,
    );
  });

  it('the right token with a bad body or query: 400 naming the field', async () => {
    let checked = 0;
    for (const g of protectedRoutes()) {
      const [field] = g.route.requiredBody;
      if (field && hasBody(g.route.method)) {
        const res = await send(g, g.route.method, `Bearer ${g.token}`, '{}', 'application/json');
        expect(res.statusCode, `${g.server} ${g.route.url} → ${res.text}`).toBe(400);
        expect(JSON.parse(res.text).message, g.route.url).toContain(field);
        checked++;
      }
      const [typed, type] =
        Object.entries(g.route.queryTypes).find(([, t]) => t === 'number' || t === 'integer') ?? [];
      if (typed && g.route.method !== 'HEAD') {
        const res = await send(
          { ...g, path: `${g.path}?${typed}=not-a-${type}` },
          g.route.method,
          `Bearer ${g.token}`,
        );
        expect(res.statusCode, `${g.server} ${g.route.url} → ${res.text}`).toBe(400);
        expect(JSON.parse(res.text).message, g.route.url).toContain(typed);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    console.info(
      `access: ${checked} bad bodies or queries with the right token, each a 400 naming the field`,
    );
  });

  it('Flagger without a header: metadata.token is checked before the body schema; a wrong one is the same 401', async () => {
    const hook = `${gate.url}/v1/flagger/rollout`;
    const post = async (body: string, type = 'application/json') => {
      const res = await request(hook, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: res.statusCode, text: await res.body.text() };
    };
    const refused = await post('{}');
    expect(refused.status).toBe(401);
    for (const body of [
      JSON.stringify({ metadata: { token: 'wrong' } }),
      JSON.stringify({ name: 'a', namespace: 'b', metadata: { token: `${GATE_TOKEN}x` } }),
      JSON.stringify({ name: 'a', namespace: 'b', metadata: { token: 7 } }),
      '{"metadata":{"token":',
    ])
      expect(await post(body), body).toEqual(refused);
    expect(await post(JSON.stringify({ metadata: { token: GATE_TOKEN } }))).toMatchObject({ status: 400 });
    const before = evaluations;
    const ok = await post(JSON.stringify({ name: 'a', namespace: 'b', metadata: { token: GATE_TOKEN } }));
    expect([200, 412]).toContain(ok.status);
    expect(evaluations).toBe(before + 1);
  });
});

async function routerRevision(): Promise<number> {
  const res = await request(`${world.urls.router}/admin/state`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return ((await res.body.json()) as { revision: number }).revision;
}

describe('access: token comparison in code', () => {
  it('every secret check goes through timingSafeEqual on equal-length SHA-256 digests', () => {
    const root = join(import.meta.dirname, '..', '..');
    for (const file of ['sandbox/admin/secret.ts', 'canary/server/auth.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).toMatch(/createHash\('sha256'\)\.update\(presented\)\.digest\(\)/);
      expect(text, file).toMatch(/createHash\('sha256'\)\.update\(expected\)\.digest\(\)/);
      expect(text, file).toMatch(/timingSafeEqual\(a, b\)/);
    }
    // No production file compares a token, key or authorization header with === / !==.
    const offenders: string[] = [];
    const naive =
      /(authorization|token|apiKey|adminToken|secret)['"\]]?\)?\s*(===|!==)\s*[`'"]?[A-Za-z$`]|(===|!==)\s*[`'"]?(Bearer )?\$?\{?(options\.|ctx\.|config\.)?(token|apiKey|adminToken|secret)\b/i;
    for (const dir of ['harness', 'canary', 'contracts', 'scenarios'])
      for (const file of filesUnder(join(root, dir)))
        if (file.endsWith('.ts') && !/\.test\.ts$|fake-|testing\.ts$|fixtures/.test(file)) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (naive.test(line) && !/=== undefined|!== undefined|typeof|=== ''|\.length/.test(line))
                offenders.push(`${file.slice(root.length + 1)}:${i + 1}: ${line.trim()}`);
            });
        }
    expect(offenders).toEqual([]);
    // The scan is not vacuous: it flags the naive comparisons it is meant to find.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of source code to scan, not a template
    expect(naive.test('if (request.headers.authorization !== `Bearer ${options.token}`) {')).toBe(true);
    expect(naive.test('if (presented === token) return true;')).toBe(true);
  });
});

describe('access: the replayer allowlist', () => {
  // IPv4-mapped 127/8 (::ffff:7f00:0/104) is loopback too.
  const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]|localhost\.?)$/;
  it('property: any URL it accepts by default has a loopback host (after WHATWG parsing)', () => {
    const allowlist = createAllowlist();
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((ip) => `[${ip}]`),
      fc.constantFrom(
        'localhost',
        'LOCALHOST.',
        '127.0.0.1',
        '127.1',
        '0x7f000001',
        '2130706433',
        '0177.0.0.1',
        '[::1]',
        '[::ffff:127.0.0.1]',
        '[::ffff:8.8.8.8]',
        '0.0.0.0',
        '[::]',
        'localhost.evil.example',
        '127.0.0.1.nip.io',
        'evil.example#@127.0.0.1',
        '127.0.0.1@evil.example',
        'evil.example\\@127.0.0.1',
        '%31%32%37.0.0.1',
        '169.254.169.254',
      ),
    );
    fc.assert(
      fc.property(
        host,
        fc.constantFrom('http', 'https', 'ftp', 'file'),
        fc.option(fc.integer({ min: 1, max: 65535 })),
        (h, scheme, port) => {
          const target = `${scheme}://${h}${port ? `:${port}` : ''}/v1`;
          let url: URL | undefined;
          try {
            url = assertTargetAllowed(target, allowlist);
          } catch (error) {
            expect((error as { code?: string }).code).toMatch(/^SG_(USAGE|TARGET_NOT_ALLOWED)$/);
            return;
          }
          expect(url.hostname, target).toMatch(LOOPBACK);
          expect(['http:', 'https:']).toContain(url.protocol);
        },
      ),
      { numRuns: fuzzRuns(1000) },
    );
  });
});
