import { afterEach, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import {
  type FakeAnswer,
  type FakePrometheus,
  startFakePrometheus,
  vector,
} from '../../test/support/fake-prometheus.ts';
import { metricById } from '../metrics/catalogue.ts';
import { PrometheusClient } from './prometheus.ts';
import { PrometheusSource } from './prometheus-source.ts';

const FAST = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1000, attempts: 4, totalMs: 5000 };
let fake: FakePrometheus | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(respond: (req: { n: number; query: string }) => FakeAnswer, retry = FAST, extra = {}) {
  fake = await startFakePrometheus(respond);
  return new PrometheusClient({ url: fake.url, retry, ...extra });
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    if (isShipgateError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('Prometheus client', () => {
  it('retries 500, 503 and 429, then answers', async () => {
    const plan: FakeAnswer[] = [
      { status: 500, body: 'boom' },
      { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'overloaded' } },
      { status: 429, body: 'slow down', headers: { 'retry-after': '0' } },
      { body: vector([{ version: 'canary' }, '42']) },
    ];
    const c = await client((req) => plan[req.n - 1]!);
    const result = await c.query('up');
    expect(result.samples).toEqual([{ labels: { version: 'canary' }, time: 1700000000.5, value: 42 }]);
    expect(fake!.requests).toHaveLength(4);
  });

  it('gives up after the bounded attempts with the last reason', async () => {
    const c = await client(() => ({ status: 502, body: 'bad gateway' }), { ...FAST, attempts: 3 });
    const error = await failure(c.query('up'));
    expect(error.code).toBe('SG_UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/query up: HTTP 502: bad gateway \(after 3 attempts\)/);
    expect(fake!.requests).toHaveLength(3);
  });

  it('names the query and quotes Prometheus on a bad query, without retrying', async () => {
    const c = await client(() => ({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: '1:8: parse error: unexpected end of input' },
    }));
    const error = await failure(c.query('sum(up'));
    expect(error.code).toBe('SG_METRICS_QUERY_REJECTED');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `Prometheus at ${fake!.url} rejected the query sum(up: bad_data: 1:8: parse error: unexpected end of input`,
    );
    expect(fake!.requests).toHaveLength(1);
  });

  it('times out a slow Prometheus per attempt, within the total budget', async () => {
    const c = await client(() => ({ body: vector(), delayMs: 1500 }), {
      ...FAST,
      timeoutMs: 150,
      attempts: 2,
      totalMs: 1000,
    });
    const started = Date.now();
    const error = await failure(c.query('up'));
    expect(error.code).toBe('SG_UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/timed out after 150 ms \(after 2 attempts\)/);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('reports a refused connection after retries', async () => {
    fake = await startFakePrometheus(() => ({ body: vector() }));
    const url = fake.url;
    await fake.close();
    fake = undefined;
    const error = await failure(new PrometheusClient({ url, retry: { ...FAST, attempts: 2 } }).query('up'));
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it.each([
    ['non-JSON', 'hello <html>', /HTTP 200, not JSON: "hello <html>"/],
    [
      'wrong shape',
      { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 2] }] } },
      /data/,
    ],
    ['unknown status', { status: 'maybe' }, /status/],
    ['a non-number value', vector([{}, 'lots']), /sample value "lots" is not a number/],
  ])('refuses a garbage response (%s) naming the query', async (_name, body, message) => {
    const c = await client(() => ({ body }));
    const error = await failure(c.query('up{job="x"}'));
    expect(error.code).toBe('SG_METRICS_RESPONSE_INVALID');
    expect(error.message).toContain('up{job="x"}');
    expect(error.message).toMatch(message);
  });

  it('parses NaN and ±Inf sample values', async () => {
    const c = await client(() => ({
      body: vector([{ a: '1' }, 'NaN'], [{ a: '2' }, '+Inf'], [{ a: '3' }, '-Inf'], [{ a: '4' }, '1e-3']),
    }));
    const values = (await c.query('x')).samples.map((s) => s.value);
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([Infinity, -Infinity, 0.001]);
  });

  it('sends a bearer token, or basic auth, and extra headers', async () => {
    const c = await client(() => ({ body: vector() }), FAST, {
      bearerToken: 'tok',
      headers: { 'X-Scope-OrgID': 'tenant-1' },
    });
    await c.query('up');
    expect(fake!.requests[0]!.headers['authorization']).toBe('Bearer tok');
    expect(fake!.requests[0]!.headers['x-scope-orgid']).toBe('tenant-1');
    const basic = new PrometheusClient({ url: fake!.url, basicAuth: { username: 'u', password: 'p:w' } });
    await basic.query('up');
    expect(fake!.requests[1]!.headers['authorization']).toBe(
      `Basic ${Buffer.from('u:p:w').toString('base64')}`,
    );
  });

  it('runs range queries with start, end and step in seconds', async () => {
    const c = await client(() => ({
      body: {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { version: 'stable' },
              values: [
                [10, '1'],
                [20, 'NaN'],
              ],
            },
          ],
        },
      },
    }));
    const r = await c.queryRange('up', { start: 10_000, end: 20_000, stepMs: 10_000 });
    expect(fake!.requests[0]!.params).toMatchObject({ query: 'up', start: '10', end: '20', step: '10' });
    expect(r.series[0]!.points[0]).toEqual({ time: 10, value: 1 });
    expect(r.series[0]!.points[1]!.value).toBeNaN();
  });
});

describe('Prometheus source: missing data is explicit', () => {
  const onTime = metricById('on_time_rate')!;
  const p95 = metricById('processing_p95')!;

  it('gives chart ranges without the NaN of windows that had no traffic (0/0 is no value)', async () => {
    fake = await startFakePrometheus(() => ({
      body: {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { version: 'stable' },
              values: [
                [10, 'NaN'],
                [11, '0.02'],
                [12, '0.03'],
              ],
            },
          ],
        },
      },
    }));
    const source = new PrometheusSource({ url: fake.url, retry: FAST });
    const points = await source.windowedRange(metricById('error_rate')!, ['stable', 'canary'], '30s', {
      start: 10_000,
      end: 12_000,
      stepMs: 1000,
    });
    expect(points['stable']).toEqual([
      { time: 11, value: 0.02 },
      { time: 12, value: 0.03 },
    ]);
    expect(points['canary']).toEqual([]);
  });

  it('reads bad absent as zero where the total exists, and a version without series as empty', async () => {
    fake = await startFakePrometheus((req) =>
      req.query.includes('on_time="false"')
        ? { body: vector() }
        : {
            body: vector(
              [{ version: 'stable', instance: 'a:1' }, '40'],
              [{ version: 'stable', instance: 'b:1' }, '60'],
            ),
          },
    );
    const source = new PrometheusSource({ url: fake.url, retry: FAST, now: () => 1_700_000_000_000 });
    const snap = await source.snapshot([onTime], ['stable', 'canary']);
    expect(snap.at).toBe(1_700_000_000_000);
    expect(fake.requests[0]!.params['time']).toBe('1700000000');
    const m = snap.metrics['on_time_rate']!;
    expect(m.byVersion['stable']).toEqual({
      ok: true,
      value: {
        sum: { bad: 0, total: 100 },
        parts: { 'instance="a:1"': { bad: 0, total: 40 }, 'instance="b:1"': { bad: 0, total: 60 } },
      },
    });
    expect(m.byVersion['canary']).toMatchObject({
      ok: false,
      missing: { kind: 'empty', reason: expect.stringContaining('no series for version "canary"') },
    });
  });

  it('turns NaN, +Inf and empty windowed results into markers, and an outage into errors with a code', async () => {
    fake = await startFakePrometheus((req) =>
      req.query.startsWith('histogram_quantile')
        ? { body: vector([{ version: 'stable' }, '+Inf'], [{ version: 'canary' }, 'NaN']) }
        : { status: 503, body: 'down' },
    );
    const source = new PrometheusSource({ url: fake.url, retry: { ...FAST, attempts: 2 } });
    const w = await source.windowed([p95, onTime], ['stable', 'canary', 'build-9'], '5m');
    expect(w['processing_p95']!['stable']).toMatchObject({ ok: false, missing: { kind: 'inf' } });
    expect(w['processing_p95']!['canary']).toMatchObject({ ok: false, missing: { kind: 'nan' } });
    expect(w['processing_p95']!['build-9']).toMatchObject({ ok: false, missing: { kind: 'empty' } });
    expect(w['on_time_rate']!['stable']).toMatchObject({
      ok: false,
      missing: { kind: 'error', code: 'SG_UPSTREAM_UNAVAILABLE' },
    });
    const snap = await source.snapshot([onTime], ['canary']);
    expect(snap.metrics['on_time_rate']!.byVersion['canary']).toMatchObject({
      ok: false,
      missing: { kind: 'error', code: 'SG_UPSTREAM_UNAVAILABLE' },
    });
  });

  it('marks NaN counters and bucket layouts without +Inf', async () => {
    fake = await startFakePrometheus((req) =>
      req.query.includes('_bucket')
        ? { body: vector([{ version: 'canary', instance: 'a', le: '1' }, '3']) }
        : { body: vector([{ version: 'canary', instance: 'a' }, 'NaN']) },
    );
    const source = new PrometheusSource({ url: fake.url, retry: FAST });
    const snap = await source.snapshot([onTime, p95], ['canary']);
    expect(snap.metrics['on_time_rate']!.byVersion['canary']).toMatchObject({
      ok: false,
      missing: { kind: 'nan' },
    });
    expect(snap.metrics['processing_p95']!.byVersion['canary']).toMatchObject({
      ok: false,
      missing: { kind: 'error', reason: expect.stringContaining('no +Inf bucket') },
    });
  });
});
