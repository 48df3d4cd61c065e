import type {
  CounterSelector,
  EventsMetric,
  ExceedanceSelector,
  MetricDecl,
  PromqlSelector,
  QuantileMetric,
  RawMetric,
} from './catalogue.ts';
import { VERSION_LABEL } from './names.ts';
import { renderTemplate } from './template.ts';

/**
 * Compiles catalogue declarations to PromQL. Three families:
 * - cumulative: counter values per version (and per part, e.g. instance) at an instant,
 *   so the gate diffs consecutive snapshots itself and handles counter resets per series;
 * - windowed: ratios and quantiles over a window, for threshold judges and charts;
 * - templates: the user's own PromQL (a `raw` metric or a `{ promql }` selector), rendered
 *   with {{selector}}, {{versionLabel}} and {{window}} (template.ts).
 * Every label value and regex goes through the escapers below: versions and user
 * matchers are data, and a quote in a build id must not break (or inject into) a query.
 */

export interface CompileOptions {
  /** Label carrying the platform version; default `version`. */
  versionLabel?: string;
  /** Restrict every selector to these versions (`version=~"stable|canary"`); default: all. */
  versions?: readonly string[];
  /** Extra equality matchers added to every selector, e.g. `{ job: 'logistics', namespace: 'prod' }`. */
  matchers?: Readonly<Record<string, string>>;
  /**
   * Labels kept beside the version in cumulative queries, so a reset of one instance is
   * seen as that instance's reset rather than a drop of the sum. Default `['instance']`;
   * `[]` gives plain per-version sums.
   */
  partLabels?: readonly string[];
  /** {{window}} of templates read at an instant (cumulative `{ promql }` selectors); default 5m. */
  templateWindow?: string | number;
}

export const DEFAULT_PART_LABELS = ['instance'] as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Escapes a value for a double-quoted PromQL string (backslash, quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes RE2 metacharacters so a literal value can sit in a `=~` alternation. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkLabelName(name: string): string {
  if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid label name "${name}"`);
  return name;
}

function checkMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
  return name;
}

/**
 * `le` matcher for a bucket boundary. Prometheus 2 stores `le` as the exporter wrote it
 * (`1`), Prometheus 3 normalises it to `1.0`: match both so the query survives an upgrade.
 */
export function leMatcher(le: number): string {
  if (!Number.isFinite(le)) throw new Error(`bucket boundary must be finite, got ${le}`);
  const forms = new Set([String(le), Number.isInteger(le) ? `${le}.0` : String(le)]);
  if (forms.size === 1) return `le="${escapeLabelValue(String(le))}"`;
  return `le=~"${escapeLabelValue([...forms].map(escapeRegex).join('|'))}"`;
}

/** Formats a window: `'5m'` passes through (validated), a number of milliseconds becomes seconds. */
export function formatWindow(window: string | number): string {
  if (typeof window === 'number') {
    if (!Number.isFinite(window) || window < 1000)
      throw new Error(`window must be at least 1000 ms, got ${window}`);
    return `${Math.round(window / 1000)}s`;
  }
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(window)) throw new Error(`invalid PromQL duration "${window}"`);
  return window;
}

function selector(
  series: string,
  matchers: Readonly<Record<string, string>> | undefined,
  opts: CompileOptions,
  extra?: string,
): string {
  const parts: string[] = [];
  const all = { ...opts.matchers, ...matchers };
  for (const [name, value] of Object.entries(all))
    parts.push(`${checkLabelName(name)}="${escapeLabelValue(value)}"`);
  if (opts.versions && opts.versions.length > 0) {
    const alternation = opts.versions.map(escapeRegex).join('|');
    parts.push(`${checkLabelName(versionLabel(opts))}=~"${escapeLabelValue(alternation)}"`);
  }
  if (extra) parts.push(extra);
  return `${checkMetricName(series)}${parts.length ? `{${parts.join(', ')}}` : ''}`;
}

function versionLabel(opts: CompileOptions): string {
  return opts.versionLabel ?? VERSION_LABEL;
}

function byClause(opts: CompileOptions, ...more: string[]): string {
  const labels = [versionLabel(opts), ...(opts.partLabels ?? DEFAULT_PART_LABELS), ...more];
  return `by (${labels.map(checkLabelName).join(', ')})`;
}

function byVersion(opts: CompileOptions, ...more: string[]): string {
  return `by (${[versionLabel(opts), ...more].map(checkLabelName).join(', ')})`;
}

export function isExceedance(
  bad: CounterSelector | ExceedanceSelector | PromqlSelector,
): bad is ExceedanceSelector {
  return 'histogram' in bad;
}

export function isPromql(sel: CounterSelector | ExceedanceSelector | PromqlSelector): sel is PromqlSelector {
  return 'promql' in sel;
}

/**
 * {{selector}}: the source's global matchers and the version matcher, as the inside of a
 * PromQL selector. Never empty (no versions: `label!=""`), so a template may write
 * `x{ {{selector}}, code="500" }` whatever the source.
 */
export function templateSelector(opts: CompileOptions): string {
  const parts = Object.entries(opts.matchers ?? {}).map(
    ([name, value]) => `${checkLabelName(name)}="${escapeLabelValue(value)}"`,
  );
  const label = checkLabelName(versionLabel(opts));
  parts.unshift(
    opts.versions && opts.versions.length > 0
      ? `${label}=~"${escapeLabelValue(opts.versions.map(escapeRegex).join('|'))}"`
      : `${label}!=""`,
  );
  return parts.join(', ');
}

/** Renders a `{ promql }` selector or a raw metric's template for these options. */
export function renderPromql(template: string, window: string | number, opts: CompileOptions): string {
  return renderTemplate(template, {
    selector: templateSelector(opts),
    versionLabel: checkLabelName(versionLabel(opts)),
    window: formatWindow(window),
  });
}

// ---------------------------------------------------------------- cumulative

export type CumulativeQueries =
  | { kind: 'events'; bad: string; total: string }
  | { kind: 'quantile'; buckets: string }
  | { kind: 'raw' };

/**
 * Cumulative values at an instant, grouped by version and the part labels:
 * - events: `bad` and `total` counters (bad of an exceedance = count − bucket{le});
 * - quantile: every cumulative bucket, grouped also by `le`;
 * - raw: nothing — a raw query is already windowed; the source evaluates it as such.
 */
export function compileCumulative(metric: MetricDecl, opts: CompileOptions = {}): CumulativeQueries {
  switch (metric.kind) {
    case 'events':
      return {
        kind: 'events',
        bad: cumulativeBad(metric, opts),
        total: cumulativeCounter(metric.total, opts),
      };
    case 'quantile':
      return {
        kind: 'quantile',
        buckets: `sum ${byClause(opts, 'le')} (${selector(`${metric.histogram}_bucket`, undefined, opts)})`,
      };
    case 'raw':
      return { kind: 'raw' };
  }
}

function cumulativeCounter(sel: CounterSelector | PromqlSelector, opts: CompileOptions): string {
  if (isPromql(sel)) return renderPromql(sel.promql, opts.templateWindow ?? '5m', opts);
  return `sum ${byClause(opts)} (${selector(sel.series, sel.matchers, opts)})`;
}

function cumulativeBad(metric: EventsMetric, opts: CompileOptions): string {
  if (isPromql(metric.bad) || !isExceedance(metric.bad)) return cumulativeCounter(metric.bad, opts);
  const h = metric.bad.histogram;
  const by = byClause(opts);
  return `sum ${by} (${selector(`${h}_count`, undefined, opts)}) - sum ${by} (${selector(`${h}_bucket`, undefined, opts, leMatcher(metric.bad.le))})`;
}

// ---------------------------------------------------------------- windowed

export interface WindowedCounts {
  bad: string;
  total: string;
}

/** `increase()` of bad and total over the window, per version (for charts and evidence). */
export function compileWindowedCounts(
  metric: EventsMetric,
  window: string | number,
  opts: CompileOptions = {},
): WindowedCounts {
  const w = formatWindow(window);
  const by = byVersion(opts);
  const inc = (series: string, matchers?: Record<string, string>, extra?: string) =>
    `sum ${by} (increase(${selector(series, matchers, opts, extra)}[${w}]))`;
  // A template is already a per-version count: its increase over the window is a subquery's.
  const counted = (sel: CounterSelector | PromqlSelector) =>
    isPromql(sel)
      ? `sum ${by} (increase((${renderPromql(sel.promql, window, opts)})[${w}:]))`
      : inc(sel.series, sel.matchers);
  const total = counted(metric.total);
  const bad =
    !isPromql(metric.bad) && isExceedance(metric.bad)
      ? `${inc(`${metric.bad.histogram}_count`)} - ${inc(`${metric.bad.histogram}_bucket`, undefined, leMatcher(metric.bad.le))}`
      : // A bad series that never fired does not exist yet: it is zero where the total exists,
        // not "no data" — `or 0 * total` says so without inventing a version that has no traffic.
        `(${counted(metric.bad)} or 0 * ${total})`;
  return { bad, total };
}

/**
 * The metric's value over a window, per version, as the catalogue reports it: bad/total
 * (or 1 − bad/total for `good-ratio`), the quantile, or the raw query. A version with no
 * traffic in the window yields NaN (0/0) — a missing-data marker, never a zero.
 */
export function compileWindowed(
  metric: MetricDecl,
  window: string | number,
  opts: CompileOptions = {},
): string {
  switch (metric.kind) {
    case 'events': {
      const { bad, total } = compileWindowedCounts(metric, window, opts);
      const ratio = `(${bad}) / ${total}`;
      return metric.reportAs === 'good-ratio' ? `1 - (${ratio})` : ratio;
    }
    case 'quantile':
      return compileQuantile(metric, window, opts);
    case 'raw':
      return compileRaw(metric, window, opts);
  }
}

function compileQuantile(metric: QuantileMetric, window: string | number, opts: CompileOptions): string {
  if (!(metric.quantile >= 0 && metric.quantile <= 1))
    throw new Error(`quantile must be in [0, 1], got ${metric.quantile}`);
  const w = formatWindow(window);
  return `histogram_quantile(${metric.quantile}, sum ${byVersion(opts, 'le')} (rate(${selector(`${metric.histogram}_bucket`, undefined, opts)}[${w}])))`;
}

// ---------------------------------------------------------------- raw

/**
 * A raw metric's template for every version at once: it must return one sample per
 * version value, grouped by the version label (e.g.
 * `sum by ({{versionLabel}}) (rate(x{ {{selector}} }[{{window}}]))`).
 */
export function compileRaw(metric: RawMetric, window: string | number, opts: CompileOptions = {}): string {
  try {
    return renderPromql(metric.promql, window, opts);
  } catch (error) {
    throw new Error(`metric ${metric.id}: ${(error as Error).message}`);
  }
}

/** Every query a metric compiles to, for preflight checks and promtool tests. */
export function allQueries(metric: MetricDecl, window: string | number, opts: CompileOptions = {}): string[] {
  if (metric.kind === 'raw') return [compileRaw(metric, window, opts)];
  const cumulative = compileCumulative(metric, opts);
  const list =
    cumulative.kind === 'events'
      ? [cumulative.bad, cumulative.total]
      : cumulative.kind === 'quantile'
        ? [cumulative.buckets]
        : [];
  list.push(compileWindowed(metric, window, opts));
  if (metric.kind === 'events') {
    const counts = compileWindowedCounts(metric, window, opts);
    list.push(counts.bad, counts.total);
  }
  return list;
}
