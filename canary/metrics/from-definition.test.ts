import { describe, expect, it } from 'vitest';
import type { MetricDecl } from './catalogue.ts';
import type { MetricDefinition } from './definition.ts';
import { KESTREL_LIKE as KESTREL } from './fixtures/kestrel-like.ts';
import { definitionIssues, selectMetrics, toMetricDecl } from './from-definition.ts';
import { BUILTIN_DEFINITIONS, CATALOGUE, LATENCY_SLO_SECONDS, SERIES } from './presets/builtin.ts';

// The catalogue as it was declared in code before it became a preset: the preset must map to exactly this.
const FORMER_CATALOGUE: MetricDecl[] = [
  {
    id: 'on_time_rate',
    title: 'On-time delivery rate',
    description: 'Share of delivered orders that arrived by their promised date.',
    kind: 'events',
    bad: { series: SERIES.deliveries, matchers: { on_time: 'false' } },
    total: { series: SERIES.deliveries },
    reportAs: 'good-ratio',
    indicator: 'lagging',
    unit: 'ratio',
    direction: 'lower-is-worse',
    slo: { op: '>=', value: 0.95 },
  },
  {
    id: 'processing_over_slo',
    title: 'Orders slower than the processing SLO',
    description: `Share of orders whose processing took longer than ${LATENCY_SLO_SECONDS}s.`,
    kind: 'events',
    bad: { histogram: SERIES.processingSeconds, le: LATENCY_SLO_SECONDS },
    total: { series: `${SERIES.processingSeconds}_count` },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'eta_past_promise',
    title: 'Predicted ETA past promise',
    description: 'Share of shipped orders whose carrier ETA is later than the delivery promise.',
    kind: 'events',
    bad: { series: SERIES.etaPastPromise },
    total: { series: SERIES.ordersProcessed, matchers: { outcome: 'shipped' } },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'cutoff_missed',
    title: 'Dispatch cutoff misses',
    description: 'Share of shipped orders that missed the warehouse cutoff they arrived in time for.',
    kind: 'events',
    bad: { series: SERIES.cutoffMissed },
    total: { series: SERIES.ordersProcessed, matchers: { outcome: 'shipped' } },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.02 },
  },
  {
    id: 'error_rate',
    title: 'Order processing errors',
    description: 'Share of processed orders that ended in an error (not counting out-of-stock).',
    kind: 'events',
    bad: { series: SERIES.ordersProcessed, matchers: { outcome: 'error' } },
    total: { series: SERIES.ordersProcessed },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.01 },
  },
  {
    id: 'processing_p95',
    title: 'Order processing latency p95',
    description: '95th percentile of order processing time.',
    kind: 'quantile',
    histogram: SERIES.processingSeconds,
    quantile: 0.95,
    indicator: 'leading',
    unit: 'seconds',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: LATENCY_SLO_SECONDS },
  },
];

describe('the built-in preset', () => {
  it("maps, through the same function as users' definitions, to the former catalogue exactly", () => {
    expect(CATALOGUE).toEqual(FORMER_CATALOGUE);
    expect(BUILTIN_DEFINITIONS.map((d) => toMetricDecl(d))).toEqual(FORMER_CATALOGUE);
  });

  it('passes its own checks', () => {
    expect(definitionIssues(BUILTIN_DEFINITIONS)).toEqual([]);
  });
});

describe('definition → MetricDecl', () => {
  const [late, slow, p95] = KESTREL.map(toMetricDecl);

  it('events keep their selectors and carry weight and margin', () => {
    expect(late).toEqual({
      id: 'late_parcels',
      title: 'Late parcels',
      description: 'Late parcels',
      kind: 'events',
      bad: { series: 'kestrel_parcels_delivered_total', matchers: { punctuality: 'late' } },
      total: { series: 'kestrel_parcels_delivered_total' },
      unit: 'ratio',
      indicator: 'lagging',
      direction: 'higher-is-worse',
      weight: 2,
      margin: { absolute: 0.002 },
    });
  });

  it('latency becomes events: observations above the SLO bucket out of the histogram count', () => {
    expect(slow).toMatchObject({
      kind: 'events',
      bad: { histogram: 'kestrel_fulfilment_handling_ms', le: 800 },
      total: { series: 'kestrel_fulfilment_handling_ms_count' },
      unit: 'ratio',
      slo: { op: '<=', value: 0.05 },
    });
  });

  it('quantile keeps its unit (milliseconds) and margin', () => {
    expect(p95).toMatchObject({
      kind: 'quantile',
      histogram: 'kestrel_fulfilment_handling_ms',
      quantile: 0.95,
      unit: 'milliseconds',
      description: 'p95 of handling time',
      margin: { relative: 0.05 },
    });
  });

  it('does not share objects with the definition (a later edit cannot change a judged metric)', () => {
    const def = structuredClone(KESTREL[0]!) as Extract<MetricDefinition, { kind: 'events' }>;
    const decl = toMetricDecl(def) as Extract<MetricDecl, { kind: 'events' }>;
    (def.bad as { matchers: Record<string, string> }).matchers['punctuality'] = 'early';
    expect(decl.bad).toEqual({
      series: 'kestrel_parcels_delivered_total',
      matchers: { punctuality: 'late' },
    });
  });

  it('use picks metrics by id, in its order', () => {
    expect(
      selectMetrics(KESTREL.map(toMetricDecl), ['fulfilment_p95', 'late_parcels']).map((m) => m.id),
    ).toEqual(['fulfilment_p95', 'late_parcels']);
    expect(selectMetrics(CATALOGUE)).toHaveLength(CATALOGUE.length);
  });
});

describe('definition checks name the key', () => {
  const withBad = (bad: unknown): unknown[] => [KESTREL[1], KESTREL[2], { ...KESTREL[0], bad }];

  it('a bad series name', () => {
    expect(definitionIssues(withBad({ series: 'kestrel parcels' }))[0]).toMatchObject({
      key: 'canary.metrics[2].bad.series',
    });
  });

  it('a selector of no known form, an unknown field, a wrong kind', () => {
    expect(definitionIssues(withBad({ name: 'x' }))[0]).toEqual({
      key: 'canary.metrics[2].bad',
      problem: 'must name one of "series", "histogram", "promql"',
    });
    expect(definitionIssues(withBad({ series: 'x', matcher: {} }))[0]).toEqual({
      key: 'canary.metrics[2].bad',
      problem: 'unknown field(s) matcher',
    });
    expect(definitionIssues([{ ...KESTREL[0], kind: 'ratio' }])[0]?.key).toBe('canary.metrics[0].kind');
    expect(definitionIssues([{ ...KESTREL[2], quantile: 95 }])[0]?.key).toBe('canary.metrics[0].quantile');
    const { title: _, ...untitled } = KESTREL[1]!;
    expect(definitionIssues([untitled])[0]?.key).toBe('canary.metrics[0]');
    expect(definitionIssues([untitled])[0]?.problem).toMatch(/title/);
  });

  it('a template with an unknown variable, or {{{', () => {
    expect(definitionIssues(withBad({ promql: 'x{ {{selektor}} }' }))[0]).toMatchObject({
      key: 'canary.metrics[2].bad.promql',
      problem: expect.stringMatching(/unknown variable \{\{selektor\}\}/),
    });
    expect(definitionIssues(withBad({ promql: 'x{{{selector}}}' }))[0]?.problem).toMatch(/with spaces/);
    expect(definitionIssues(withBad({ promql: 'sum by ({{versionLabel}}) (x{ {{selector}} })' }))).toEqual(
      [],
    );
  });

  it('duplicate ids and unknown ids in use', () => {
    expect(definitionIssues([KESTREL[0], KESTREL[0]])).toEqual([
      { key: 'canary.metrics[1].id', problem: '"late_parcels" is already the id of canary.metrics[0]' },
    ]);
    expect(definitionIssues(KESTREL, { use: ['late_parcels', 'p95'] })).toEqual([
      {
        key: 'canary.use[1]',
        problem: 'no metric with id "p95"; defined: late_parcels, slow_fulfilment, fulfilment_p95',
      },
    ]);
  });

  it('margins the judges cannot test: absolute on a quantile, or an absolute rate of 1 or more', () => {
    expect(definitionIssues([{ ...KESTREL[2], margin: { absolute: 0.01 } }])).toEqual([
      {
        key: 'canary.metrics[0].margin.absolute',
        problem: expect.stringMatching(/^metric "fulfilment_p95": a quantile takes a relative margin only/),
      },
    ]);
    expect(definitionIssues([{ ...KESTREL[0], margin: { absolute: 1.5 } }])[0]).toMatchObject({
      key: 'canary.metrics[0].margin.absolute',
      problem: expect.stringContaining('below 1'),
    });
    expect(definitionIssues([{ ...KESTREL[0], margin: { absolute: 0.002, relative: 0.1 } }])).toEqual([]);
    expect(definitionIssues([{ ...KESTREL[2], margin: { relative: 0.05 } }])).toEqual([]);
  });

  it('the direct-scrape source refuses PromQL templates, naming the metric', () => {
    const defs = withBad({ promql: 'sum by ({{versionLabel}}) (x{ {{selector}} })' });
    expect(definitionIssues(defs, { directScrape: true })).toEqual([
      {
        key: 'canary.metrics[2].bad.promql',
        problem: expect.stringContaining(
          'metric "late_parcels" uses a PromQL template, which the direct-scrape source cannot run',
        ),
      },
    ]);
  });
});
