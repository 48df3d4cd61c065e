import { describe, expect, it } from 'vitest';
import type { MetricDecl } from '../metrics/catalogue.ts';
import { scrapeSelectors } from './describe.ts';
import { DirectScrapeSource } from './direct-scrape.ts';
import { PrometheusSource } from './prometheus-source.ts';

/** What the report names as a check's queries, per source, in a platform's own names. */
const failed: MetricDecl = {
  id: 'failed_share',
  title: 'Failed requests',
  description: '',
  kind: 'events',
  bad: { series: 'acme_requests_total', matchers: { result: 'failed' } },
  total: { series: 'acme_requests_total' },
  indicator: 'leading',
  unit: 'ratio',
  direction: 'higher-is-worse',
};
const slow: MetricDecl = {
  ...failed,
  id: 'slow_handling',
  bad: { histogram: 'acme_latency_ms', le: 320 },
  total: { series: 'acme_latency_ms_count' },
};
const p95: MetricDecl = {
  id: 'handling_p95',
  title: 'p95',
  description: '',
  kind: 'quantile',
  histogram: 'acme_latency_ms',
  quantile: 0.95,
  indicator: 'leading',
  unit: 'seconds',
  direction: 'higher-is-worse',
};
const versions = ['next', 'current'];

describe('the queries a report names', () => {
  it('direct scrape: the selected series in PromQL selector notation, with the version label and matchers', () => {
    const opts = { versionLabel: 'track', matchers: { namespace: 'prod' }, versions };
    expect(scrapeSelectors(failed, opts)).toEqual([
      'bad: acme_requests_total{namespace="prod", result="failed", track=~"next|current"}',
      'total: acme_requests_total{namespace="prod", track=~"next|current"}',
    ]);
    expect(scrapeSelectors(slow, { ...opts, matchers: {} })[0]).toBe(
      'bad: acme_latency_ms_count{track=~"next|current"} − acme_latency_ms_bucket{le=~"320|320\\\\.0", track=~"next|current"}',
    );
    expect(scrapeSelectors(p95, opts)).toEqual([
      'buckets: acme_latency_ms_bucket{namespace="prod", track=~"next|current"}',
    ]);
  });

  it('escapes label values: a quote in a version cannot break the selector', () => {
    const [bad] = scrapeSelectors(failed, { versions: ['a"b', 'c.d'] });
    expect(bad).toBe('bad: acme_requests_total{result="failed", version=~"a\\"b|c\\\\.d"}');
  });

  it('each source answers with what its snapshot reads: PromQL from Prometheus, selectors and endpoints from a scrape', () => {
    const prom = new PrometheusSource({
      url: 'http://127.0.0.1:9',
      compile: { versionLabel: 'track' },
    });
    expect(prom.queries(failed, versions)).toEqual([
      'sum by (track, instance) (acme_requests_total{result="failed", track=~"next|current"})',
      'sum by (track, instance) (acme_requests_total{track=~"next|current"})',
    ]);
    const scrape = new DirectScrapeSource({
      endpoints: ['http://127.0.0.1:9/metrics'],
      versionLabel: 'track',
    });
    expect(scrape.queries(failed, versions)[1]).toBe(
      'total: acme_requests_total{track=~"next|current"} (direct scrape of http://127.0.0.1:9/metrics)',
    );
  });
});
