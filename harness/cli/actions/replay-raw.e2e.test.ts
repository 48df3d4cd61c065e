import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../core/report/model.ts';
import { type RunningPlatform, startPlatform } from '../../../examples/own-platform/platform.ts';
import { sampleRequest } from '../../../examples/own-platform/sample-order.ts';
import { validateConfig } from '../../config/load.ts';
import { runGate } from '../../gate/run.ts';
import { runRawReplayCommand } from './replay-raw.ts';

/**
 * Raw replay end to end on Kestrel (examples/own-platform), shipgate's second platform:
 * a HAR recorded in the test from Kestrel's own API (PUT a fulfilment request, GET the
 * ticket's status, plus a refusal and an unknown ticket) is replayed raw, as recorded,
 * to a candidate, a baseline and a second baseline. Kestrel's PUT is idempotent by path
 * and both builds of one platform share an order book, so every target is a platform of
 * its own (startPlatform), each started fresh: the same requests in the same order
 * give the same tickets on each. The recording is made here, by a tiny recording step
 * (fetch, then the entry written as HAR 1.2), not committed.
 */
const SIM_START = Date.parse('2027-03-01T08:00:00Z');
const platformOptions = { timeScale: 60, simStart: SIM_START, handlingMs: [1, 2] as [number, number] };
const RECORDED_SECRET = 'recorded-session-token-9f8e7d';
const POSTCODES = ['CQ-118', 'MA-101', 'CQ-204', 'VA-455', 'HB-120', 'CB-310', 'CQ-377', 'MK-512'];
const SPEEDS = ['next-day', 'two-day', 'saver'] as const;

let dir: string;
let har: string;
const running: RunningPlatform[] = [];

async function platform(defects: ('coast-carrier-swap' | 'brownout')[] = [], seed = 1) {
  const p = await startPlatform({ ...platformOptions, defects, seed });
  running.push(p);
  return p;
}

interface HarEntry {
  startedDateTime: string;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: { name: string; value: string }[];
    postData?: { mimeType: string; text: string };
  };
  response: { status: number };
}

/** The recording step: send a request, keep it (and its status) as a HAR entry. */
async function recorded(entries: HarEntry[], base: string, method: string, path: string, body?: unknown) {
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${RECORDED_SECRET}`,
    connection: 'keep-alive',
    host: 'kestrel.example.com',
  };
  const startedDateTime = new Date().toISOString();
  const text = body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: headers.authorization },
    ...(text ? { body: text } : {}),
  });
  const json = (await response.json()) as Record<string, unknown>;
  entries.push({
    startedDateTime,
    request: {
      method,
      url: `https://kestrel.example.com${path}`,
      httpVersion: 'HTTP/1.1',
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      ...(text ? { postData: { mimeType: 'application/json', text } } : {}),
    },
    response: { status: response.status },
  });
  return json;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-raw-kestrel-'));
  const recorder = await platform();
  const entries: HarEntry[] = [];
  for (const [i, postcode] of POSTCODES.entries()) {
    const ref = `shop-${1001 + i}`;
    const created = await recorded(
      entries,
      recorder.urls.entry,
      'PUT',
      `/fulfilment/requests/${ref}`,
      sampleRequest(postcode, { speed: SPEEDS[i % 3]! }),
    );
    await recorded(entries, recorder.urls.entry, 'GET', String(created.statusHref));
  }
  await recorded(entries, recorder.urls.entry, 'PUT', '/fulfilment/requests/shop-bad', { speed: 'warp' });
  await recorded(entries, recorder.urls.entry, 'GET', '/fulfilment/tickets/FT-9999999/status');
  await recorder.stop();
  running.splice(running.indexOf(recorder), 1);
  const bad = { startedDateTime: new Date().toISOString(), request: { method: 'PUT' } };
  har = join(dir, 'kestrel.har');
  writeFileSync(
    har,
    JSON.stringify({ log: { version: '1.2', creator: { name: 'test' }, entries: [...entries, bad] } }),
  );
  expect(entries).toHaveLength(POSTCODES.length * 2 + 2);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const p of running) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function replay(out: string, urls: { candidate: string; baseline: string; second: string }) {
  vi.stubEnv('KESTREL_API_TOKEN', 'replay-token-from-env');
  return runRawReplayCommand(har, {
    target: urls.candidate,
    baseline: urls.baseline,
    secondBaseline: urls.second,
    raw: true,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VARIABLE} is the --header flag's own syntax
    header: ['Authorization: Bearer ${KESTREL_API_TOKEN}'],
    speed: Number.POSITIVE_INFINITY,
    multiply: 1,
    concurrency: 1,
    timeout: 10_000,
    settleTimeout: 1000,
    diffBudget: 0,
    allowHost: [],
    out: join(dir, out),
    progress: false,
    json: true,
  });
}

function runFiles(runDir: string): string {
  return readdirSync(runDir)
    .map((name) => readFileSync(join(runDir, name), 'utf8'))
    .join('\n');
}

describe('raw replay of a recorded Kestrel HAR', () => {
  it('A/A: three fresh platforms, every request accounted for, the diff passes with noise learned', async () => {
    const [a, b, c] = [await platform(), await platform(), await platform()];
    const { exitCode, runDir, summary } = await replay('aa', {
      candidate: b.urls.current,
      baseline: a.urls.current,
      second: c.urls.current,
    });
    const records = POSTCODES.length * 2 + 3;
    expect(summary.requests).toMatchObject({ read: records, sent: records - 1, failed: 0, quarantined: 1 });
    expect(summary.quarantineReasons).toEqual({ 'har-entry': 1 });
    expect(summary.diff?.compared).toBe(records - 1);
    expect(summary.diff?.differing).toBe(0);
    expect(exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const raw = report.layers.replay?.raw;
    expect(raw?.droppedCredentialHeaders).toEqual([]); // rewritten from the environment, not dropped
    expect(raw?.endpoints.map((e) => e.endpoint).sort()).toEqual([
      'GET /fulfilment/tickets/{id}/status',
      'PUT /fulfilment/requests/shop-bad',
      'PUT /fulfilment/requests/{id}',
    ]);
    // The recorded token, the rewritten one and the recipient's details are in no file.
    const written = runFiles(runDir);
    for (const secret of [
      RECORDED_SECRET,
      'replay-token-from-env',
      'ada@example.test',
      'Ada Quill',
      'Harbour Row',
    ])
      expect(written).not.toContain(secret);
    const quarantine = readFileSync(join(runDir, 'quarantine.jsonl'), 'utf8');
    expect(quarantine).toContain('"line":19');
    expect(quarantine).toContain('"field":"request.url"');
  }, 120_000);

  it('finds coast-carrier-swap on the next build and names the field and the endpoint', async () => {
    const [a, d, c] = [await platform(), await platform(['coast-carrier-swap']), await platform()];
    const { exitCode, runDir, summary } = await replay('swap', {
      candidate: d.urls.next,
      baseline: a.urls.current,
      second: c.urls.current,
    });
    expect(exitCode).toBe(1);
    expect(summary.requests).toMatchObject({ read: POSTCODES.length * 2 + 3, failed: 0, quarantined: 1 });
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const carrier = report.layers.replay?.diffGroups.find(
      (g) => g.field === 'body.carrier' && g.attributes.endpoint === 'GET /fulfilment/tickets/{id}/status',
    );
    // The three CQ postcodes of the recording, and only they, change carrier.
    expect(carrier).toMatchObject({ from: '"gullwing"', to: '"homefleet"', count: 3 });
    expect(carrier?.noisy).toBeUndefined();
    expect(report.decision.verdict).toBe('fail');
    const md = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(md).toContain('body.carrier changed');
    expect(md).toContain('| GET /fulfilment/tickets/{id}/status | 9 |');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('id="raw-endpoints"');
  }, 120_000);

  it("runs as the gate's replay layer from the config alone (replay.mode raw), brownout named by status", async () => {
    vi.stubEnv('KESTREL_API_TOKEN', 'gate-token-from-env');
    const config = (stable: string, canary: string, second: string) =>
      validateConfig(
        {
          release: {
            name: 'kestrel next (raw replay)',
            candidateVersion: 'next',
            baselineVersion: 'current',
          },
          target: { kind: 'urls', stable, canary },
          layers: ['replay'],
          replay: {
            mode: 'raw',
            traffic: har,
            secondBaseline: second,
            headers: { Authorization: { env: 'KESTREL_API_TOKEN', prefix: 'Bearer ' } },
            speed: 'max',
            concurrency: 1,
            diffBudget: 0,
          },
        },
        'kestrel-raw.config.ts',
      ).resolved;
    // Brownout sheds 5% of PUTs by a seeded draw: fresh platforms per seed until one
    // sheds a PUT of the recording (bounded: 8 seeds).
    let found: Report['layers']['replay'] | undefined;
    for (let seed = 1; seed <= 8 && !found?.diffGroups.some((g) => g.field === 'status'); seed++) {
      const [a, d, c] = [
        await platform([], seed),
        await platform(['brownout'], seed),
        await platform([], seed),
      ];
      const runDir = join(dir, `gate-${seed}`);
      const { report } = await runGate({
        config: config(a.urls.current, d.urls.next, c.urls.current),
        runDir,
        progress: () => {},
      });
      found = report.layers.replay;
      expect(found?.raw?.requests).toMatchObject({
        read: POSTCODES.length * 2 + 3,
        quarantined: 1,
        failed: 0,
      });
      expect(runFiles(runDir)).not.toContain('gate-token-from-env');
      for (const p of [a, d, c]) {
        await p.stop();
        running.splice(running.indexOf(p), 1);
      }
    }
    const status = found?.diffGroups.find(
      (g) => g.field === 'status' && g.attributes.endpoint === 'PUT /fulfilment/requests/{id}',
    );
    expect(status).toMatchObject({ to: '503' });
    expect(found?.status).toBe('fail');
  }, 180_000);
});
