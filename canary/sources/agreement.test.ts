import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPrometheus, startPrometheus, waitForScrape } from '../../harness/prometheus/start.ts';
import {
  startTestExporter,
  type TestExporter,
  type TrafficShape,
} from '../../test/support/canary-exporter.ts';
import { CATALOGUE, type EventsMetric, type MetricDecl, type RawMetric } from '../metrics/catalogue.ts';
import { eventsValue, histogramQuantile } from '../metrics/evaluate.ts';
import { advance, type Baseline, type IntervalBuckets, type IntervalEvents } from './deltas.ts';
import { DirectScrapeSource } from './direct-scrape.ts';
import { PrometheusSource } from './prometheus-source.ts';
import type { SourceSnapshot } from './source.ts';

/**
 * The two sources on the same traffic: two stable instances and one canary instance,
 * deterministic orders in two phases. Prometheus scrapes every second; the test waits
 * for a scrape after each phase. Cumulative counts must be equal; deltas must equal the
 * second phase exactly on the direct scrape; windowed ratios and quantiles from
 * Prometheus (increase/rate, extrapolated) must agree within a small tolerance.
 */

const STABLE: TrafficShape = {
  lateEvery: 20,
  errorEvery: 50,
  etaPastEvery: 25,
  cutoffEvery: 40,
  slowdown: 1,
};
const CANARY: TrafficShape = { lateEvery: 5, errorEvery: 10, etaPastEvery: 4, cutoffEvery: 8, slowdown: 1.6 };
const VERSIONS = ['stable', 'canary'];
const METRICS: readonly MetricDecl[] = CATALOGUE;

describe('Prometheus and direct scrape agree on the same traffic', () => {
  let exporters: TestExporter[] = [];
  let prom: RunningPrometheus | undefined;
  let viaProm: PrometheusSource;
  let direct: DirectScrapeSource;
  let baseProm: Baseline;
  let baseDirect: Baseline;

  beforeAll(async () => {
    exporters = await Promise.all([startTestExporter(), startTestExporter(), startTestExporter()]);
  });
  afterAll(async () => {
    await prom?.stop();
    await Promise.all(exporters.map((e) => e.close()));
  });

  it('gives the same cumulative counts, the same deltas and close windowed values', async () => {
    const [s1, s2, c1] = exporters as [TestExporter, TestExporter, TestExporter];
    // Phase A, before Prometheus starts: every label combination exists from the first scrape.
    s1.traffic('stable', 400, STABLE);
    s2.traffic('stable', 300, STABLE, 7);
    c1.traffic('canary', 100, CANARY);

    prom = await startPrometheus({ targets: exporters.map((e) => e.hostPort), scrapeIntervalMs: 1000 });
    viaProm = new PrometheusSource({ url: prom.url, retry: { attempts: 2, totalMs: 2000, timeoutMs: 1000 } });
    direct = new DirectScrapeSource({ endpoints: exporters.map((e) => e.url) });

    await waitForScrape(prom.url, Date.now());
    const promA = await viaProm.snapshot(METRICS, VERSIONS);
    const directA = await direct.snapshot(METRICS, VERSIONS);
    expectSameSums(promA, directA);
    expect(sumOf(directA, 'on_time_rate', 'stable')).toEqual({ bad: 28, total: 686 }); // 16 + 12 late of 392 + 294 delivered (errored orders are not delivered);

    // Phase B.
    s1.traffic('stable', 500, STABLE, 400);
    s2.traffic('stable', 500, STABLE, 307);
    c1.traffic('canary', 300, CANARY, 100);
    const changed = Date.now();
    await waitForScrape(prom.url, changed);
    const promB = await viaProm.snapshot(METRICS, VERSIONS);
    const directB = await direct.snapshot(METRICS, VERSIONS);
    expectSameSums(promB, directB);

    // Interval counts: equal between the sources, and exactly phase B.
    const promStep = advance(advance(undefined, promA).baseline, promB);
    const directStep = advance(advance(undefined, directA).baseline, directB);
    const promInterval = promStep.interval;
    const directInterval = directStep.interval;
    baseProm = promStep.baseline;
    baseDirect = directStep.baseline;
    for (const metric of METRICS) {
      for (const version of VERSIONS) {
        const p = promInterval.metrics[metric.id]!.byVersion[version]!;
        const d = directInterval.metrics[metric.id]!.byVersion[version]!;
        expect(p.ok && d.ok, `${metric.id}/${version}`).toBe(true);
        if (!p.ok || !d.ok) continue;
        const { from: _pf, to: _pt, ...pv } = p.value as IntervalEvents;
        const { from: _df, to: _dt, ...dv } = d.value as IntervalEvents;
        expect(pv, `${metric.id}/${version}`).toEqual(dv);
      }
    }
    const canaryOrders = directInterval.metrics['error_rate']!.byVersion['canary']!;
    expect(canaryOrders).toMatchObject({ ok: true, value: { bad: 30, total: 300 } });

    // Windowed values: Prometheus' increase()/rate() over a window covering phase B only
    // (phase A was in place before the first scrape) against ratios of the direct deltas.
    const windowMs = Date.now() - promA.at + 1000;
    const windowed = await viaProm.windowed(METRICS, VERSIONS, `${Math.ceil(windowMs / 1000)}s`);
    for (const metric of METRICS) {
      for (const version of VERSIONS) {
        const p = windowed[metric.id]![version]!;
        const d = directInterval.metrics[metric.id]!.byVersion[version]!;
        expect(p.ok, `${metric.id}/${version}: ${JSON.stringify(p)}`).toBe(true);
        if (!p.ok || !d.ok) continue;
        const expected =
          metric.kind === 'events'
            ? eventsValue(metric, d.value as IntervalEvents)
            : metric.kind === 'quantile'
              ? histogramQuantile(
                  metric.quantile,
                  (d.value as IntervalBuckets).le,
                  (d.value as IntervalBuckets).counts,
                )
              : Number.NaN;
        expect(
          Math.abs(p.value - expected),
          `${metric.id}/${version}: prometheus ${p.value} vs direct ${expected}`,
        ).toBeLessThan(metric.kind === 'quantile' ? 0.05 * expected : 0.01);
      }
    }
  });

  it('reads a restarted instance as a reset of that instance only, in both sources', async () => {
    const [s1, s2] = exporters as [TestExporter, TestExporter];
    s2.reset(); // the process restarted: its counters start again from zero
    s2.traffic('stable', 50, STABLE);
    s1.traffic('stable', 100, STABLE, 900);
    await waitForScrape(prom!.url, Date.now());
    const promC = advance(baseProm, await viaProm.snapshot(METRICS, VERSIONS)).interval;
    const directC = advance(baseDirect, await direct.snapshot(METRICS, VERSIONS)).interval;
    for (const interval of [promC, directC]) {
      const errors = interval.metrics['error_rate']!.byVersion['stable']!;
      // 150 orders; errors at 900, 950 on one instance and 0 on the restarted one.
      expect(errors).toMatchObject({ ok: true, value: { bad: 3, total: 150 } });
      expect(errors.ok && (errors.value as IntervalEvents).resets).toHaveLength(1);
      expect(interval.metrics['error_rate']!.byVersion['canary']).toMatchObject({
        ok: true,
        value: { bad: 0, total: 0, resets: [] },
      });
    }
  });

  it('accepts every compiled query, rejects a broken raw query before the rollout, and serves chart ranges', async () => {
    const raw: RawMetric = {
      id: 'my_ratio',
      title: 'mine',
      description: 'a user query',
      kind: 'raw',
      promql:
        'sum by ({{versionLabel}}) (rate(logistics_orders_processed_total{ {{selector}}, outcome="error" }[{{window}}])) / sum by ({{versionLabel}}) (rate(logistics_orders_processed_total{ {{selector}} }[{{window}}]))',
      indicator: 'leading',
      unit: 'ratio',
      direction: 'higher-is-worse',
    };
    await viaProm.preflight([...METRICS, raw], ['stable', 'canary "quoted"'], '30s');
    const rejected = await viaProm
      .preflight([{ ...raw, promql: 'sum(rate(x[{{window}}])' }], VERSIONS, '30s')
      .catch((e: unknown) => e);
    expect(rejected).toMatchObject({
      code: 'SG_METRICS_QUERY_REJECTED',
      message: expect.stringContaining('sum(rate(x[30s])'),
    });

    const now = Date.now();
    const points = await viaProm.windowedRange(METRICS[4]!, VERSIONS, '30s', {
      start: now - 5000,
      end: now,
      stepMs: 1000,
    });
    // Only steps with two scrapes inside the window have a value: the latest ones.
    expect(points['stable']!.length).toBeGreaterThanOrEqual(2);
    for (const p of points['stable']!) expect(p.value).toBeCloseTo(0.02, 2); // phases B and C: 1 order in 50 errors
    for (const p of points['canary']!) expect(p.value).toBeCloseTo(0.1, 2);
    const rawNow = await viaProm.snapshot([raw], VERSIONS, { rawWindow: '30s' });
    expect(rawNow.metrics['my_ratio']!.byVersion['stable']).toMatchObject({ ok: true });
    expect(rawNow.metrics['my_ratio']!.byVersion['canary']).toMatchObject({ ok: true });
  });

  it('an events metric written with { promql } templates counts what its series form counts', async () => {
    const series = METRICS.find((m) => m.id === 'error_rate') as EventsMetric;
    const templated: EventsMetric = {
      ...series,
      id: 'error_rate_templated',
      bad: {
        promql:
          'sum by ({{versionLabel}}) (logistics_orders_processed_total{ {{selector}}, outcome="error" })',
      },
      total: { promql: 'sum by ({{versionLabel}}) (logistics_orders_processed_total{ {{selector}} })' },
    };
    const snap = await viaProm.snapshot([series, templated], VERSIONS);
    for (const version of VERSIONS) {
      const a = snap.metrics['error_rate']!.byVersion[version]!;
      const b = snap.metrics['error_rate_templated']!.byVersion[version]!;
      expect(a.ok && b.ok).toBe(true);
      expect(sumOf(snap, 'error_rate_templated', version)).toEqual(sumOf(snap, 'error_rate', version));
    }
  });

  it('reports a stopped Prometheus as errors, never as values', async () => {
    await prom!.stop();
    const snap = await viaProm.snapshot(METRICS, VERSIONS);
    for (const metric of METRICS) {
      for (const version of VERSIONS) {
        expect(snap.metrics[metric.id]!.byVersion[version]).toMatchObject({
          ok: false,
          missing: { kind: 'error', code: 'SG_UPSTREAM_UNAVAILABLE' },
        });
      }
    }
  });
});

function sumOf(s: SourceSnapshot, id: string, version: string): unknown {
  const r = s.metrics[id]!.byVersion[version]!;
  return r.ok ? (r.value as { sum: unknown }).sum : r.missing;
}

function expectSameSums(prom: SourceSnapshot, direct: SourceSnapshot): void {
  for (const metric of METRICS) {
    for (const version of VERSIONS) {
      const p = prom.metrics[metric.id]!.byVersion[version]!;
      const d = direct.metrics[metric.id]!.byVersion[version]!;
      expect(p.ok, `${metric.id}/${version} via Prometheus: ${JSON.stringify(p)}`).toBe(true);
      expect(d.ok, `${metric.id}/${version} via direct scrape: ${JSON.stringify(d)}`).toBe(true);
      expect(sumOf(prom, metric.id, version), `${metric.id}/${version}`).toEqual(
        sumOf(direct, metric.id, version),
      );
      // One part per instance either way: Prometheus names them by instance, the direct scrape by URL.
      if (p.ok && d.ok)
        expect(Object.keys((p.value as { parts: object }).parts)).toHaveLength(
          Object.keys((d.value as { parts: object }).parts).length,
        );
    }
  }
}
