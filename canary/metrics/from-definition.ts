import { Compile } from 'typebox/compile';
import type { EventsMetric, MetricDecl } from './catalogue.ts';
import {
  EventsDefinition,
  HistogramSelector,
  LatencyDefinition,
  type MetricDefinition,
  PromqlSelectorSchema,
  QuantileDefinition,
  SeriesSelector,
} from './definition.ts';
import { templateProblem } from './template.ts';

/**
 * Metric definitions (the config's form, definition.ts) to the catalogue's MetricDecl,
 * and their checks with the key of each problem (`canary.metrics[2].bad.series`). Pure.
 */

/** One definition as the judges, sources, dashboards and rules read it. */
export function toMetricDecl(def: MetricDefinition): MetricDecl {
  const common = {
    id: def.id,
    title: def.title,
    description: def.description ?? def.title,
    indicator: def.indicator,
    direction: def.direction,
    ...(def.slo ? { slo: { op: def.slo.op, value: def.slo.value } } : {}),
    ...(def.weight !== undefined ? { weight: def.weight } : {}),
    ...(def.margin ? { margin: { ...def.margin } } : {}),
  };
  switch (def.kind) {
    case 'events': {
      const metric: EventsMetric = {
        ...common,
        kind: 'events',
        bad: structuredClone(def.bad) as EventsMetric['bad'],
        total: structuredClone(def.total) as EventsMetric['total'],
        unit: 'ratio',
      };
      if (def.reportAs) metric.reportAs = def.reportAs;
      return metric;
    }
    case 'latency':
      // "Slower than sloBucket": observations above the boundary out of all observations.
      return {
        ...common,
        kind: 'events',
        bad: { histogram: def.histogram, le: def.sloBucket },
        total: { series: `${def.histogram}_count` },
        unit: 'ratio',
      };
    case 'quantile':
      return {
        ...common,
        kind: 'quantile',
        histogram: def.histogram,
        quantile: def.quantile,
        unit: def.unit,
      };
  }
}

export interface DefinitionIssue {
  /** Dotted key with indices, e.g. `canary.metrics[2].bad.series`. */
  key: string;
  problem: string;
}

const BY_KIND = {
  events: Compile(EventsDefinition),
  latency: Compile(LatencyDefinition),
  quantile: Compile(QuantileDefinition),
} as const;
const SELECTORS = {
  series: Compile(SeriesSelector),
  histogram: Compile(HistogramSelector),
  promql: Compile(PromqlSelectorSchema),
} as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function pathKey(prefix: string, pointer: string): string {
  const parts = pointer.split('/').slice(1);
  return parts.reduce((key, p) => (/^\d+$/.test(p) ? `${key}[${p}]` : `${key}.${p}`), prefix);
}

/** The first schema error of `value`, keyed, choosing the schema by a discriminating key first. */
function firstError(
  compiled: {
    Check(v: unknown): boolean;
    Errors(v: unknown): Iterable<{ instancePath: string; message: string; keyword: string; params: unknown }>;
  },
  value: unknown,
  key: string,
): DefinitionIssue | undefined {
  if (compiled.Check(value)) return undefined;
  for (const error of compiled.Errors(value)) {
    if (error.keyword === 'boolean') continue;
    const extra = (error.params as { additionalProperties?: string[] }).additionalProperties;
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const problem = extra
      ? `unknown field(s) ${extra.join(', ')}`
      : allowed
        ? `must be one of ${allowed.map(String).join(', ')}`
        : error.message;
    return { key: pathKey(key, error.instancePath), problem };
  }
  return { key, problem: 'does not match the schema' };
}

function selectorIssue(
  value: unknown,
  key: string,
  allowed: readonly (keyof typeof SELECTORS)[],
): DefinitionIssue | undefined {
  if (!isObject(value)) return { key, problem: `must be an object with one of ${allowed.join(', ')}` };
  const form = allowed.find((k) => k in value);
  if (!form) return { key, problem: `must name one of ${allowed.map((k) => `"${k}"`).join(', ')}` };
  const issue = firstError(SELECTORS[form], value, key);
  if (issue) return issue;
  if (form === 'promql') {
    const problem = templateProblem(String(value['promql']));
    if (problem) return { key: `${key}.promql`, problem };
  }
  return undefined;
}

/**
 * Every problem with a list of definitions as written (unknown input), each naming its
 * key: the form of each (by its `kind`, then each selector by the key it uses), PromQL
 * templates, ids (unique), and `use` (ids that exist). `directScrape`: the source
 * cannot run PromQL, so a `{ promql }` selector is refused, naming the metric.
 */
export function definitionIssues(
  definitions: readonly unknown[],
  options: { prefix?: string; use?: readonly string[]; directScrape?: boolean } = {},
): DefinitionIssue[] {
  const prefix = options.prefix ?? 'canary.metrics';
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, number>();
  definitions.forEach((def, i) => {
    const key = `${prefix}[${i}]`;
    if (!isObject(def)) {
      issues.push({ key, problem: 'must be an object (a metric definition)' });
      return;
    }
    const kind = def['kind'];
    if (kind !== 'events' && kind !== 'latency' && kind !== 'quantile') {
      issues.push({ key: `${key}.kind`, problem: 'must be one of events, latency, quantile' });
      return;
    }
    if (kind === 'events') {
      const bad = selectorIssue(def['bad'], `${key}.bad`, ['series', 'histogram', 'promql']);
      const total = selectorIssue(def['total'], `${key}.total`, ['series', 'promql']);
      if (bad) issues.push(bad);
      if (total) issues.push(total);
      if (bad || total) return;
    }
    const issue = firstError(BY_KIND[kind], def, key);
    if (issue) {
      issues.push(issue);
      return;
    }
    const id = String(def['id']);
    const first = seen.get(id);
    if (first !== undefined)
      issues.push({ key: `${key}.id`, problem: `"${id}" is already the id of ${prefix}[${first}]` });
    else seen.set(id, i);
    const margin = marginProblem(kind, def['margin'] as MetricDefinition['margin']);
    if (margin) issues.push({ key: `${key}.margin.absolute`, problem: `metric "${id}": ${margin}` });
    if (options.directScrape && kind === 'events')
      for (const part of ['bad', 'total'] as const)
        if (isObject(def[part]) && 'promql' in (def[part] as object))
          issues.push({
            key: `${key}.${part}.promql`,
            problem: `metric "${id}" uses a PromQL template, which the direct-scrape source cannot run: use { series, matchers } or a Prometheus source (canary.source.url)`,
          });
  });
  options.use?.forEach((id, i) => {
    if (!seen.has(id))
      issues.push({
        key: `canary.use[${i}]`,
        problem: `no metric with id "${id}"; defined: ${[...seen.keys()].join(', ') || '(none)'}`,
      });
  });
  return issues;
}

/**
 * What the judges cannot test, refused here rather than at the first analysis: an absolute
 * margin is a difference of event rates (events and latency-over-a-bucket metrics), so a
 * rate of 1 or more is no margin at all, and a quantile has no rate to add it to.
 */
function marginProblem(kind: string, margin: MetricDefinition['margin']): string | undefined {
  const absolute = margin?.absolute;
  if (absolute === undefined) return undefined;
  if (kind === 'quantile')
    return 'a quantile takes a relative margin only (e.g. { relative: 0.05 } for 5% slower)';
  if (absolute >= 1)
    return `an absolute margin is a difference of rates, below 1 (0.002 = 0.2 points), got ${absolute}`;
  return undefined;
}

/** The metrics a rollout judges: `use` (in its order) or all of them. */
export function selectMetrics(metrics: readonly MetricDecl[], use?: readonly string[]): MetricDecl[] {
  if (!use) return [...metrics];
  return use.map((id) => {
    const metric = metrics.find((m) => m.id === id);
    if (!metric) throw new Error(`no metric with id "${id}"`);
    return metric;
  });
}
