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
  compileWindowedCounts,
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

describe('PromQL compiler: templates', () => {
  const raw: RawMetric = {
    id: 'my_errors',
    title: 'mine',
    description: 'a user metric',
    kind: 'raw',
    promql:
      'sum by ({{versionLabel}}) (rate(my_errors_total{ {{selector}} }[{{window}}])) / sum by ({{versionLabel}}) (rate(my_requests_total{ {{selector}} }[{{window}}]))',
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
  };

  it('renders {{selector}} (versions escaped, global matchers), {{versionLabel}} and {{window}}, unescaped for HTML', () => {
    const opts = { versionLabel: 'track', versions: ['build "7"', 'a&b'], matchers: { ns: 'prod' } };
    expect(compileRaw(raw, '2m', opts)).toBe(
      'sum by (track) (rate(my_errors_total{ track=~"build \\"7\\"|a&b", ns="prod" }[2m])) / sum by (track) (rate(my_requests_total{ track=~"build \\"7\\"|a&b", ns="prod" }[2m]))',
    );
  });

  it('never renders an empty selector: with no versions, the label must exist', () => {
    expect(compileRaw({ ...raw, promql: 'x{ {{selector}} }' }, '1m')).toBe('x{ version!="" }');
  });

  it('names an unknown variable, and refuses {{{…}}}', () => {
    expect(() => compileRaw({ ...raw, promql: 'x{ {{verison}} }' }, '1m')).toThrow(
      /my_errors: .*unknown variable \{\{verison\}\}/,
    );
    expect(() => compileRaw({ ...raw, promql: 'x{{{selector}}}' }, '1m')).toThrow(/with spaces/);
  });

  it('an events { promql } selector is a cumulative count; its windowed form is a subquery increase', () => {
    const metric: EventsMetric = {
      id: 'late',
      title: 'late',
      description: '',
      kind: 'events',
      bad: { promql: 'sum by ({{versionLabel}}) (parcels_total{ {{selector}}, late="1" })' },
      total: { series: 'parcels_total' },
      indicator: 'leading',
      unit: 'ratio',
      direction: 'higher-is-worse',
    };
    const opts = { versionLabel: 'track', versions: ['next', 'current'], partLabels: [] };
    const cumulative = compileCumulative(metric, opts);
    expect(cumulative).toMatchObject({
      bad: 'sum by (track) (parcels_total{ track=~"next|current", late="1" })',
    });
    expect(compileWindowedCounts(metric, '5m', opts).bad).toBe(
      '(sum by (track) (increase((sum by (track) (parcels_total{ track=~"next|current", late="1" }))[5m:])) or 0 * sum by (track) (increase(parcels_total{track=~"next|current"}[5m])))',
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
      const template = 'sum by ({{versionLabel}}) (rate(x{ {{selector}} }[{{window}}]))';
      queries.push(
        compileRaw({ ...(CATALOGUE[0] as unknown as RawMetric), kind: 'raw', promql: template }, 60_000, {
          versions: ['a"b', 'c'],
          matchers: { ns: 'p' },
        }),
        ...allQueries(
          {
            ...(CATALOGUE[0] as EventsMetric),
            bad: { promql: 'sum by ({{versionLabel}}) (late_total{ {{selector}}, x="1" })' },
            total: { promql: template },
          },
          '5m',
          { versions: ['next'] },
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
