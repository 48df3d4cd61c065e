import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CATALOGUE, type EventsMetric, metricById, type RawMetric } from './catalogue.ts';
import {
  allQueries,
  compileCumulative,
  compileRaw,
  compileWindowed,
  escapeLabelValue,
  escapeRegex,
  formatWindow,
  leMatcher,
} from './promql.ts';

const onTime = metricById('on_time_rate') as EventsMetric;
const overSlo = metricById('processing_over_slo') as EventsMetric;
const p95 = metricById('processing_p95')!;

describe('PromQL compiler: cumulative', () => {
  it('sums a counter with matchers by version', () => {
    expect(compileCumulative(onTime, { partLabels: [] })).toEqual({
      kind: 'events',
      bad: 'sum by (version) (logistics_deliveries_total{on_time="false"})',
      total: 'sum by (version) (logistics_deliveries_total)',
    });
  });

  it('keeps the instance beside the version by default, for per-instance reset handling', () => {
    const q = compileCumulative(onTime);
    expect(q).toMatchObject({ total: 'sum by (version, instance) (logistics_deliveries_total)' });
  });

  it('compiles an exceedance as count minus the SLO bucket, matching le as written by Prometheus 2 and 3', () => {
    expect(compileCumulative(overSlo, { partLabels: [] })).toEqual({
      kind: 'events',
      bad: 'sum by (version) (logistics_order_processing_seconds_count) - sum by (version) (logistics_order_processing_seconds_bucket{le=~"1|1\\\\.0"})',
      total: 'sum by (version) (logistics_order_processing_seconds_count)',
    });
  });

  it('reads every bucket of a quantile metric', () => {
    expect(compileCumulative(p95, { partLabels: [] })).toEqual({
      kind: 'quantile',
      buckets: 'sum by (version, le) (logistics_order_processing_seconds_bucket)',
    });
  });

  it('adds user matchers and a version restriction, escaped', () => {
    const q = compileCumulative(onTime, {
      partLabels: ['pod'],
      versionLabel: 'app_version',
      matchers: { namespace: 'prod "eu"', job: 'a\\b' },
      versions: ['stable', 'build.1+2'],
    });
    expect(q).toMatchObject({
      bad: 'sum by (app_version, pod) (logistics_deliveries_total{namespace="prod \\"eu\\"", job="a\\\\b", on_time="false", app_version=~"stable|build\\\\.1\\\\+2"})',
    });
  });

  it('refuses label and metric names that would change the query', () => {
    expect(() => compileCumulative(onTime, { matchers: { 'a"} or vector(1) #': 'x' } })).toThrow(
      /invalid label name/,
    );
    expect(() => compileCumulative({ ...onTime, total: { series: 'x) or vector(1' } })).toThrow(
      /invalid metric name/,
    );
    expect(() => compileCumulative(onTime, { partLabels: ['__name__'] })).toThrow(/invalid label name/);
  });
});

describe('PromQL compiler: windowed', () => {
  it('reports a good-ratio metric as 1 - bad/total, with bad absent read as zero where total exists', () => {
    expect(compileWindowed(onTime, '5m')).toBe(
      '1 - (((sum by (version) (increase(logistics_deliveries_total{on_time="false"}[5m])) or 0 * sum by (version) (increase(logistics_deliveries_total[5m])))) / sum by (version) (increase(logistics_deliveries_total[5m])))',
    );
  });

  it('compiles an exceedance ratio over a window given in milliseconds', () => {
    expect(compileWindowed(overSlo, 120_000)).toBe(
      '(sum by (version) (increase(logistics_order_processing_seconds_count[120s])) - sum by (version) (increase(logistics_order_processing_seconds_bucket{le=~"1|1\\\\.0"}[120s]))) / sum by (version) (increase(logistics_order_processing_seconds_count[120s]))',
    );
  });

  it('compiles a histogram quantile', () => {
    expect(compileWindowed(p95, '5m')).toBe(
      'histogram_quantile(0.95, sum by (version, le) (rate(logistics_order_processing_seconds_bucket[5m])))',
    );
  });

  it('validates windows', () => {
    expect(formatWindow('1h30m')).toBe('1h30m');
    expect(() => formatWindow('5 minutes')).toThrow(/invalid PromQL duration/);
    expect(() => formatWindow(10)).toThrow(/at least 1000 ms/);
  });
});

describe('PromQL compiler: raw escape hatch', () => {
  const raw: RawMetric = {
    id: 'my_errors',
    title: 'mine',
    description: 'a user metric',
    kind: 'raw',
    promql:
      'sum(rate(my_errors_total{version="$version"}[$window])) / sum(rate(my_requests_total{version="$version"}[$window]))',
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
  };

  it('substitutes $version escaped and $window', () => {
    expect(compileRaw(raw, 'build "7"', '2m')).toBe(
      'sum(rate(my_errors_total{version="build \\"7\\""}[2m])) / sum(rate(my_requests_total{version="build \\"7\\""}[2m]))',
    );
  });

  it('names an unknown placeholder', () => {
    expect(() => compileRaw({ ...raw, promql: 'x{version="$verison"}' }, 'canary', '1m')).toThrow(
      /unknown placeholder\(s\) \$verison/,
    );
  });
});

describe('escapers', () => {
  it('escapes label values and regex metacharacters', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeRegex('1.0+(x)|y')).toBe('1\\.0\\+\\(x\\)\\|y');
    expect(leMatcher(0.025)).toBe('le="0.025"');
    expect(() => leMatcher(Infinity)).toThrow();
  });
});

const PROMTOOL = '/usr/bin/promtool';
// Never skipped: the integration lane's globalSetup stops the run if promtool is missing.
describe('promtool accepts every compiled query', () => {
  it('parses each query of the catalogue, with and without options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shipgate-promql-'));
    try {
      const opts = [
        {},
        { partLabels: [], versions: ['stable', 'canary "x"'], matchers: { job: 'logistics' } },
      ];
      const queries = CATALOGUE.flatMap((m) => opts.flatMap((o) => allQueries(m, '5m', o)));
      queries.push(
        compileRaw(
          {
            ...(CATALOGUE[0] as unknown as RawMetric),
            kind: 'raw',
            promql: 'sum(rate(x{version="$version"}[$window]))',
          },
          'a"b',
          60_000,
        ),
      );
      const rules = {
        groups: [{ name: 'compiled', rules: queries.map((expr, i) => ({ record: `shipgate:q${i}`, expr })) }],
      };
      const file = join(dir, 'rules.yml');
      await writeFile(file, stringify(rules));
      const result = await execa(PROMTOOL, ['check', 'rules', file], { reject: false });
      expect(result.stdout + result.stderr).toContain(`SUCCESS: ${queries.length} rules found`);
      expect(result.exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('would catch a malformed query (the check is not vacuous)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shipgate-promql-'));
    try {
      const file = join(dir, 'rules.yml');
      await writeFile(
        file,
        stringify({ groups: [{ name: 'bad', rules: [{ record: 'x:y', expr: 'sum by (version (x)' }] }] }),
      );
      const result = await execa(PROMTOOL, ['check', 'rules', file], { reject: false });
      expect(result.exitCode).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
