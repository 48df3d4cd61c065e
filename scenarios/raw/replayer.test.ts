import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACEPARENT_PATTERN } from '../replay/traceparent.ts';
import { endpointNamer } from './endpoint.ts';
import { readRaw } from './read.ts';
import { replayRaw } from './replayer.ts';
import { harFile } from './testing.ts';

/**
 * The replayer against real fastify servers on loopback: what a target receives (method,
 * path, body, headers less hop-by-hop, Host its own, credentials rewritten), the field
 * diff, and resume after a kill (a POST in flight is never sent twice; a GET is).
 */
interface Seen {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body: string;
}

function target(name: string, answer: (seen: Seen, n: number) => unknown) {
  const seen: Seen[] = [];
  let n = 0;
  const app: FastifyInstance = Fastify();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) => done(null, body));
  app.all('/*', async (request, reply) => {
    const s = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: String(request.body ?? ''),
    };
    seen.push(s);
    if (request.url.startsWith('/slow')) await new Promise((r) => setTimeout(r, 1500));
    return reply.send(answer(s, n++));
  });
  return { name, app, seen, url: '' };
}

let dir: string;
// `at` differs on every target (a timestamp, say): noise the second baseline reveals.
const candidate = target('candidate', (s, n) => ({
  path: s.url,
  carrier: s.url.includes('/coast') ? 'homefleet' : 'gullwing',
  at: 100 + n,
}));
const baseline = target('baseline', (s, n) => ({ path: s.url, carrier: 'gullwing', at: n }));
const second = target('second', (s, n) => ({ path: s.url, carrier: 'gullwing', at: 200 + n }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-raw-replayer-'));
  for (const t of [candidate, baseline, second]) t.url = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  for (const t of [candidate, baseline, second]) await t.app.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
const harEntry = (method: string, path: string, s: number, body?: string) => ({
  startedDateTime: at(s),
  request: {
    method,
    url: `https://shop.example.com${path}`,
    headers: [
      { name: 'Host', value: 'shop.example.com' },
      { name: 'Connection', value: 'keep-alive' },
      { name: 'Authorization', value: 'Bearer recorded-token' },
      { name: 'Cookie', value: 'sid=recorded' },
      { name: 'X-Request-Source', value: 'app' },
    ],
    ...(body ? { postData: { mimeType: 'application/json', text: body } } : {}),
  },
  response: { status: 200 },
});

function run(file: string, results: string, extra: Partial<Parameters<typeof replayRaw>[0]> = {}) {
  return replayRaw({
    records: readRaw(file),
    targets: { candidate: candidate.url, baseline: baseline.url, secondBaseline: second.url },
    headers: [{ name: 'Authorization', value: 'Bearer from-env' }],
    endpoint: endpointNamer(),
    resultsFile: results,
    speed: Number.POSITIVE_INFINITY,
    concurrency: 4,
    ...extra,
  });
}

describe('raw replayer', () => {
  it('sends each request as recorded to every target and diffs the answers with noise learned', async () => {
    const file = join(dir, 'day.har');
    writeFileSync(
      file,
      harFile([
        harEntry('PUT', '/requests/coast-001', 0, '{"zone":"coast"}'),
        harEntry('GET', '/tickets/FT-0000001/status', 1),
        harEntry('GET', '/coast/FT-0000002', 2),
      ]),
    );
    for (const t of [candidate, baseline, second]) t.seen.length = 0;
    const result = await run(file, join(dir, 'results.jsonl'));
    expect(result.requests).toMatchObject({ read: 3, sent: 3, failed: 0, quarantined: 0 });
    expect(result.balanced).toBe(true);
    for (const t of [candidate, baseline, second]) {
      expect(t.seen.map((s) => `${s.method} ${s.url}`)).toEqual(
        expect.arrayContaining([
          'PUT /requests/coast-001',
          'GET /tickets/FT-0000001/status',
          'GET /coast/FT-0000002',
        ]),
      );
      const put = t.seen.find((s) => s.method === 'PUT')!;
      expect(put.body).toBe('{"zone":"coast"}');
      expect(put.headers.host).toBe(new URL(t.url).host);
      expect(put.headers.authorization).toBe('Bearer from-env');
      expect(put.headers.cookie).toBeUndefined();
      expect(put.headers['x-request-source']).toBe('app');
      expect(String(put.headers.traceparent)).toMatch(TRACEPARENT_PATTERN);
    }
    expect(result.droppedCredentials).toEqual(['cookie']);
    const byId = new Map(result.compared.map((c) => [c.id, c]));
    expect(byId.get('entry-3')?.diffs).toEqual([
      { field: 'body.carrier', from: '"gullwing"', to: '"homefleet"' },
      expect.objectContaining({ field: 'body.at' }),
    ]);
    expect(byId.get('entry-1')?.noise).toEqual(['body.at']);
    const written = readFileSync(join(dir, 'results.jsonl'), 'utf8');
    expect(written).not.toContain('recorded-token');
    expect(written).not.toContain('from-env');
  });

  it('resumes after a kill: outcomes kept, an idempotent request re-sent, a POST in flight not sent twice', async () => {
    const file = join(dir, 'resume.har');
    writeFileSync(
      file,
      harFile([
        harEntry('GET', '/fast/1', 0),
        harEntry('POST', '/slow/orders', 1, '{"n":1}'),
        harEntry('GET', '/slow/status', 1),
      ]),
    );
    const results = join(dir, 'resume.jsonl');
    for (const t of [candidate, baseline, second]) t.seen.length = 0;
    // The "kill" comes once entry 1 has its outcome on disk and both slow requests are in
    // flight at every target: no timing guess (bounded wait, 10 s at most).
    const kill = new AbortController();
    const killWhenReady = (async () => {
      for (let i = 0; i < 400 && !kill.signal.aborted; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const done =
          existsSync(results) && readFileSync(results, 'utf8').includes('"t":"outcome","id":"entry-1"');
        const inFlight = [candidate, baseline, second].every(
          (t) => t.seen.filter((x) => x.url.startsWith('/slow')).length === 2,
        );
        if (done && inFlight) kill.abort(new Error('killed'));
      }
    })();
    const first = await run(file, results, { signal: kill.signal });
    await killWhenReady;
    expect(first.aborted).toBe(true);
    expect(candidate.seen.map((s) => s.url).sort()).toEqual(['/fast/1', '/slow/orders', '/slow/status']);

    for (const t of [candidate, baseline, second]) t.seen.length = 0;
    const second_ = await run(file, results, { resume: true });
    expect(second_.requests).toMatchObject({ read: 3, sent: 2, failed: 1, resumed: 1, notResent: 1 });
    expect(second_.balanced).toBe(true);
    expect(candidate.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /slow/status']);
  }, 30_000);
});
