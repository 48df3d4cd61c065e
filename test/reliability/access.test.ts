import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { assertTargetAllowed, createAllowlist } from '../../scenarios/replay/allowlist.ts';
import { filesUnder, fuzzRuns } from './helpers.ts';

/**
 * Access, across every service that has an admin API: the sandbox router, the three
 * carriers and the inventory service (the gate server's own 401/413/loopback tests live
 * in canary/server/server.test.ts; its header and body fuzz in fuzz-gate.test.ts).
 */
let world: World;
const TOKEN = 'access-suite-admin-token-0123456789';
beforeAll(async () => {
  world = await startWorld({ speed: 60, latency: 'none', seed: 2, adminToken: TOKEN });
});
afterAll(() => world?.stop());

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
      expect([401, 413]).toContain(await put({}));
    }
  });
});

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
