import type { MetricDecl } from '../metrics/catalogue.ts';

/**
 * The one interface both metric sources answer (Prometheus, direct scrape). A snapshot
 * holds cumulative values — counters and histogram buckets, per metric, per version,
 * per part (an instance or a scraped endpoint) — so the step controller takes one each
 * interval and diffs consecutive snapshots (deltas.ts) into interval counts. Cumulative
 * values lose nothing across a gap: after an outage, the next diff covers it.
 *
 * Missing data is explicit, never a silent zero: every reading is either a value or a
 * `Missing` with its kind and a reason a reviewer can read.
 */

export type MissingKind =
  /** The query or scrape returned no series for this version. */
  | 'empty'
  /** A value was NaN (e.g. 0/0 over a window with no traffic). */
  | 'nan'
  /** A value was ±Inf (e.g. a quantile past the last finite bucket). */
  | 'inf'
  /** The source failed: unreachable, timed out, rejected the query, answered garbage. */
  | 'error'
  /** This source cannot evaluate this metric (e.g. raw PromQL without Prometheus). */
  | 'unsupported';

export interface Missing {
  kind: MissingKind;
  reason: string;
  /** The core/errors.ts code behind an `error`, e.g. SG_METRICS_QUERY_REJECTED (a config error, not an outage). */
  code?: string;
  /** The query (Prometheus) or scrape selector (direct scrape) that was run, for reports. */
  query?: string;
}

export type Reading<T> = { ok: true; value: T } | { ok: false; missing: Missing };

export interface EventCounts {
  bad: number;
  total: number;
}

/** Cumulative histogram buckets: `le` ascending, the last one +Inf; `counts[i]` observations ≤ `le[i]`. */
export interface BucketCounts {
  le: number[];
  counts: number[];
}

/** Cumulative values of one version, summed over its parts and kept per part for reset handling. */
export interface Parted<T> {
  sum: T;
  /** Keyed by part: `instance="10.0.0.1:9100"` from Prometheus, the endpoint URL from a direct scrape. */
  parts: Record<string, T>;
}

export type MetricReading =
  | { kind: 'events'; byVersion: Record<string, Reading<Parted<EventCounts>>> }
  | { kind: 'quantile'; byVersion: Record<string, Reading<Parted<BucketCounts>>> }
  /** Raw PromQL is already windowed: its value per version, not a cumulative counter. */
  | { kind: 'raw'; byVersion: Record<string, Reading<number>> };

export interface SourceSnapshot {
  source: SourceName;
  /** Epoch ms the values describe (Prometheus evaluation time, or when the scrape finished). */
  at: number;
  metrics: Record<string, MetricReading>;
}

export type SourceName = 'prometheus' | 'direct-scrape';

export interface SnapshotOptions {
  /** Window substituted for `$window` in raw metrics; default 5 minutes. */
  rawWindow?: string | number;
  signal?: AbortSignal;
}

export interface MetricSource {
  readonly name: SourceName;
  /**
   * Cumulative values of `metrics` for each of `versions`. Resolves even when the
   * backend fails: failures become `Missing` readings (kind `error`) with the reason.
   */
  snapshot(
    metrics: readonly MetricDecl[],
    versions: readonly string[],
    options?: SnapshotOptions,
  ): Promise<SourceSnapshot>;
  /**
   * Checks every query once before a rollout and throws a config error (exit 2) for a
   * query the backend rejects; outages are left to the snapshots. Sources without
   * queries (direct scrape) have nothing to check.
   */
  preflight?(metrics: readonly MetricDecl[], versions: readonly string[]): Promise<void>;
  /** What the source runs for a metric, in words for reports: the PromQL, or the scrape selector. */
  describeQuery?(metric: MetricDecl, versions: readonly string[]): string;
}

export function missing<T>(kind: MissingKind, reason: string, code?: string, query?: string): Reading<T> {
  return {
    ok: false,
    missing: { kind, reason, ...(code ? { code } : {}), ...(query ? { query } : {}) },
  };
}

/** Classifies a number that should be a finite count or value. */
export function readingOf(value: number, what: string): Reading<number> {
  if (Number.isNaN(value)) return missing('nan', `${what} is NaN`);
  if (!Number.isFinite(value)) return missing('inf', `${what} is ${value > 0 ? '+Inf' : '-Inf'}`);
  return { ok: true, value };
}
