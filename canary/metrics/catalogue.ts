import { CATALOGUE } from './presets/builtin.ts';

/**
 * The metric catalogue: each metric shipgate judges, declared once. Gates (PromQL or
 * direct scrape), dashboards, recording/alert rules and report charts are all derived
 * from these declarations, so they cannot drift apart.
 *
 * Two kinds are judged:
 * - `events`: a harmful outcome counted per order (late, cutoff missed, error, slower
 *   than the latency SLO). The value is bad/total; the sequential judge uses the counts.
 * - `quantile`: a latency quantile from a histogram, for threshold judges and charts.
 * `raw` is the escape hatch for a user's own PromQL (a template, see PromqlSelector).
 *
 * Users write these in the config's definition form (definition.ts); from-definition.ts
 * maps a definition to this one in-memory form every judge, source, dashboard and rule reads.
 */

/** A counter, optionally narrowed by label matchers, summed over everything else. */
export interface CounterSelector {
  series: string;
  matchers?: Record<string, string>;
}

/** Observations of a histogram above `le` count as bad: total minus the `le` bucket. */
export interface ExceedanceSelector {
  histogram: string;
  le: number;
}

/**
 * The user's own PromQL, a mustache template with {{selector}} (the version matcher plus
 * the source's global matchers, e.g. `release_track=~"current|next",namespace="prod"`),
 * {{versionLabel}} and {{window}}. It returns one sample per version value, grouped by
 * the version label. As an events selector it is a cumulative count (a sum of counters),
 * read at an instant and diffed between analyses like a series selector.
 */
export interface PromqlSelector {
  promql: string;
}

/** A regression worth a rollback is one beyond this (relative: 0.1 = 1.1× the baseline; absolute: events only, a rate difference, 0.002 = 0.2 points; latency margins are relative). */
export interface MetricMargin {
  relative?: number;
  absolute?: number;
}

interface MetricBase {
  id: string;
  title: string;
  description: string;
  /** `leading` moves minutes after a bad release; `lagging` is what customers feel, days later. */
  indicator: 'leading' | 'lagging';
  unit: 'ratio' | 'seconds' | 'milliseconds' | 'per_second';
  direction: 'higher-is-worse' | 'lower-is-worse';
  slo?: { op: '<=' | '>='; value: number };
  /** Relative importance in the report and decision (default 1). */
  weight?: number;
  /**
   * How much worse than the baseline the canary may be before a rollback is worth it
   * (the judges' null hypothesis; canary/judges/README.md states the construction).
   * Events: `relative: 0.1` = the canary's rate may be up to 1.1× the baseline's,
   * `absolute: 0.002` = up to 0.2 points higher (either suffices). Latency: `relative:
   * 0.05` = 5% slower. Unset: the judge's default for the metric's kind.
   */
  margin?: MetricMargin;
}

export interface EventsMetric extends MetricBase {
  kind: 'events';
  /** Counts of harmful outcomes; an ExceedanceSelector for "slower than the SLO". */
  bad: CounterSelector | ExceedanceSelector | PromqlSelector;
  total: CounterSelector | PromqlSelector;
  /** Report the metric as good/total (e.g. on-time rate) rather than bad/total. */
  reportAs?: 'bad-ratio' | 'good-ratio';
}

export interface QuantileMetric extends MetricBase {
  kind: 'quantile';
  histogram: string;
  quantile: number;
}

export interface RawMetric extends MetricBase {
  kind: 'raw';
  /** A PromqlSelector template returning the metric's value per version (already windowed). */
  promql: string;
}

export type MetricDecl = EventsMetric | QuantileMetric | RawMetric;

/** The built-in catalogue (the sandbox's series): a preset written in the config's definition form. */
export { CATALOGUE, LATENCY_SLO_SECONDS } from './presets/builtin.ts';

export function metricById(id: string, catalogue: readonly MetricDecl[] = CATALOGUE): MetricDecl | undefined {
  return catalogue.find((m) => m.id === id);
}
