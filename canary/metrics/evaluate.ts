import type { CounterSelector, EventsMetric, MetricDecl, QuantileMetric } from './catalogue.ts';
import { VERSION_LABEL } from './names.ts';
import { isExceedance, isPromql } from './promql.ts';

/**
 * The catalogue evaluated without Prometheus: from scraped samples of one endpoint to
 * cumulative values per version, with the same selection rules as the compiled PromQL
 * (series name, equality matchers, extra matchers, `le` compared as a number so `1` and
 * `1.0` agree). Pure functions: the direct-scrape source does the I/O.
 */

export interface ScrapedSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface EvaluateOptions {
  versionLabel?: string;
  /** Extra equality matchers, as in promql.ts CompileOptions. */
  matchers?: Readonly<Record<string, string>>;
}

/** Raw per-version sums from one endpoint; undefined where no series matched. */
export interface RawEventValues {
  bad?: number;
  total?: number;
}

function matches(
  sample: ScrapedSample,
  series: string,
  matchers: Readonly<Record<string, string>> | undefined,
  opts: EvaluateOptions,
): boolean {
  if (sample.name !== series) return false;
  for (const [k, v] of Object.entries({ ...opts.matchers, ...matchers }))
    if (sample.labels[k] !== v) return false;
  return true;
}

function versionOf(sample: ScrapedSample, opts: EvaluateOptions): string | undefined {
  return sample.labels[opts.versionLabel ?? VERSION_LABEL];
}

function sumBy(
  samples: readonly ScrapedSample[],
  sel: CounterSelector,
  opts: EvaluateOptions,
  extra?: (s: ScrapedSample) => boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (!matches(s, sel.series, sel.matchers, opts) || (extra && !extra(s))) continue;
    const version = versionOf(s, opts);
    if (version === undefined) continue;
    out.set(version, (out.get(version) ?? 0) + s.value);
  }
  return out;
}

/** Cumulative bad and total per version of an events metric, from one endpoint's samples. */
export function evaluateEvents(
  metric: EventsMetric,
  samples: readonly ScrapedSample[],
  opts: EvaluateOptions = {},
): Map<string, RawEventValues> {
  if (usesPromql(metric)) throw new Error(`metric ${metric.id} uses a PromQL template: it needs Prometheus`);
  const total = sumBy(samples, metric.total as CounterSelector, opts);
  let bad: Map<string, number>;
  if (isExceedance(metric.bad)) {
    const { histogram, le } = metric.bad;
    const count = sumBy(samples, { series: `${histogram}_count` }, opts);
    const under = sumBy(
      samples,
      { series: `${histogram}_bucket` },
      opts,
      (s) => Number(s.labels['le']) === le,
    );
    bad = new Map();
    // Like PromQL's `a - b`: a version missing either side has no value.
    for (const [version, c] of count) {
      const u = under.get(version);
      if (u !== undefined) bad.set(version, c - u);
    }
  } else {
    bad = sumBy(samples, metric.bad as CounterSelector, opts);
  }
  const out = new Map<string, RawEventValues>();
  for (const [version, t] of total) out.set(version, { total: t });
  for (const [version, b] of bad) out.set(version, { ...out.get(version), bad: b });
  return out;
}

/** Cumulative buckets per version (`le` → count) of a quantile metric's histogram. */
export function evaluateBuckets(
  metric: QuantileMetric,
  samples: readonly ScrapedSample[],
  opts: EvaluateOptions = {},
): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of samples) {
    if (!matches(s, `${metric.histogram}_bucket`, undefined, opts)) continue;
    const version = versionOf(s, opts);
    const le = parseLe(s.labels['le']);
    if (version === undefined || le === undefined) continue;
    const buckets = out.get(version) ?? new Map<number, number>();
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    out.set(version, buckets);
  }
  return out;
}

export function parseLe(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\+?inf$/i.test(text)) return Infinity;
  const n = Number(text);
  return text.trim() === '' || Number.isNaN(n) ? undefined : n;
}

/**
 * Prometheus' histogram_quantile on cumulative buckets (`le` ascending, last +Inf),
 * reimplemented because the direct-scrape source must agree with Prometheus to the
 * interpolation rule: linear within the bucket holding the rank, the lower bound of the
 * first bucket taken as 0, a rank in the +Inf bucket answered by the last finite bound.
 * NaN when there are no observations or no +Inf bucket.
 */
export function histogramQuantile(q: number, le: readonly number[], counts: readonly number[]): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (le.length < 2 || le[le.length - 1] !== Infinity) return Number.NaN;
  // Prometheus repairs non-monotonic buckets (from scrapes racing observations) the same way.
  const c: number[] = [];
  for (let i = 0; i < counts.length; i++) c.push(Math.max(counts[i]!, i > 0 ? c[i - 1]! : 0));
  const observations = c[c.length - 1]!;
  if (!(observations > 0)) return Number.NaN;
  let rank = q * observations;
  let b = c.findIndex((count) => count >= rank);
  if (b < 0) b = c.length - 1;
  if (b === le.length - 1) return le[le.length - 2]!;
  if (b === 0 && le[0]! <= 0) return le[0]!;
  const start = b === 0 ? 0 : le[b - 1]!;
  const end = le[b]!;
  const prev = b === 0 ? 0 : c[b - 1]!;
  const inBucket = c[b]! - prev;
  rank -= prev;
  return start + (end - start) * (rank / inBucket);
}

/** An events metric's value as the catalogue reports it (bad/total or good/total); NaN with no traffic. */
export function eventsValue(metric: EventsMetric, counts: { bad: number; total: number }): number {
  if (!(counts.total > 0)) return Number.NaN;
  const ratio = counts.bad / counts.total;
  return metric.reportAs === 'good-ratio' ? 1 - ratio : ratio;
}

/** A metric only Prometheus can evaluate: a raw template, or an events metric with a `{ promql }` selector. */
export function usesPromql(metric: MetricDecl): boolean {
  if (metric.kind === 'raw') return true;
  return metric.kind === 'events' && (isPromql(metric.bad) || isPromql(metric.total));
}

export function isEvents(metric: MetricDecl): metric is EventsMetric {
  return metric.kind === 'events';
}
