import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestExporter,
  type TestExporter,
  type TrafficShape,
} from '../../test/support/canary-exporter.ts';
import { metricById, type RawMetric } from '../metrics/catalogue.ts';
import { DirectScrapeSource } from './direct-scrape.ts';

const SHAPE: TrafficShape = { lateEvery: 10, errorEvery: 0, etaPastEvery: 0, cutoffEvery: 0, slowdown: 1 };
const onTime = metricById('on_time_rate')!;
// Short, but not so short that a busy CI machine times out a healthy endpoint.
const FAST = { timeoutMs: 2_000, attempts: 1, totalMs: 3_000 };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function exporter(): Promise<TestExporter> {
  const e = await startTestExporter();
  closers.push(e.close);
  return e;
}

async function garbageEndpoint(body: string): Promise<string> {
  const app = Fastify();
  app.get('/metrics', async () => body);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return `${url}/metrics`;
}

describe('direct-scrape source', () => {
  it('sums one version over several endpoints, one part per endpoint', async () => {
    const [a, b] = [await exporter(), await exporter()];
    a.traffic('stable', 20, SHAPE);
    b.traffic('stable', 10, SHAPE);
    b.traffic('canary', 5, SHAPE);
    const source = new DirectScrapeSource({ endpoints: [a.url, b.url], retry: FAST });
    const snap = await source.snapshot([onTime], ['stable', 'canary', 'build-3']);
    const m = snap.metrics['on_time_rate']!.byVersion;
    expect(m['stable']).toEqual({
      ok: true,
      value: {
        sum: { bad: 3, total: 30 },
        parts: { [a.url]: { bad: 2, total: 20 }, [b.url]: { bad: 1, total: 10 } },
      },
    });
    expect(m['canary']).toEqual({
      ok: true,
      value: { sum: { bad: 1, total: 5 }, parts: { [b.url]: { bad: 1, total: 5 } } },
    });
    expect(m['build-3']).toMatchObject({ ok: false, missing: { kind: 'empty' } });
  });

  it('marks the versions a failed endpoint served as missing, never a partial sum', async () => {
    const [a, b] = [await exporter(), await exporter()];
    a.traffic('stable', 20, SHAPE);
    b.traffic('canary', 20, SHAPE);
    const source = new DirectScrapeSource({ endpoints: [a.url, b.url], retry: FAST });
    await source.snapshot([onTime], ['stable', 'canary']);
    await b.close();
    const snap = await source.snapshot([onTime], ['stable', 'canary']);
    expect(snap.metrics['on_time_rate']!.byVersion['stable']).toMatchObject({ ok: true });
    expect(snap.metrics['on_time_rate']!.byVersion['canary']).toMatchObject({
      ok: false,
      missing: { kind: 'error', code: 'SG_UPSTREAM_UNAVAILABLE', reason: expect.stringContaining(b.url) },
    });
  });

  it('marks every version missing when an endpoint never answered', async () => {
    const a = await exporter();
    a.traffic('stable', 20, SHAPE);
    const dead = await exporter();
    await dead.close();
    const snap = await new DirectScrapeSource({ endpoints: [a.url, dead.url], retry: FAST }).snapshot(
      [onTime],
      ['stable'],
    );
    expect(snap.metrics['on_time_rate']!.byVersion['stable']).toMatchObject({
      ok: false,
      missing: { kind: 'error' },
    });
  });

  it('refuses a body that is not an exposition, naming the endpoint and line', async () => {
    const url = await garbageEndpoint('<html>\n<body>oops</body>\n');
    const snap = await new DirectScrapeSource({ endpoints: [url], retry: FAST }).snapshot(
      [onTime],
      ['stable'],
    );
    expect(snap.metrics['on_time_rate']!.byVersion['stable']).toMatchObject({
      ok: false,
      missing: {
        kind: 'error',
        reason: expect.stringMatching(/metrics: not a Prometheus exposition: line 1: expected a metric name/),
      },
    });
  });

  it('marks NaN counters and says raw PromQL needs Prometheus', async () => {
    const url = await garbageEndpoint('logistics_deliveries_total{version="stable",on_time="true"} NaN\n');
    const raw = { ...onTime, kind: 'raw', promql: 'vector(1)' } as unknown as RawMetric;
    const snap = await new DirectScrapeSource({ endpoints: [url], retry: FAST }).snapshot(
      [onTime, { ...raw, id: 'mine' }],
      ['stable'],
    );
    expect(snap.metrics['on_time_rate']!.byVersion['stable']).toMatchObject({
      ok: false,
      missing: { kind: 'nan' },
    });
    expect(snap.metrics['mine']!.byVersion['stable']).toMatchObject({
      ok: false,
      missing: { kind: 'unsupported' },
    });
  });
});
