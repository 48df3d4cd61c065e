import pLimit from 'p-limit';
import type { MetricDecl } from '../metrics/catalogue.ts';
import {
  type EvaluateOptions,
  evaluateBuckets,
  evaluateEvents,
  type RawEventValues,
  usesPromql,
} from '../metrics/evaluate.ts';
import { VERSION_LABEL } from '../metrics/names.ts';
import { addPart, assembleBuckets, assembleEvents, type ByVersionPart } from './assemble.ts';
import { ExpositionError, parseExposition, type Sample } from './exposition.ts';
import { DEFAULT_RETRY, RetriesExhausted, type RetryPolicy, requestWithRetry } from './http-retry.ts';
import {
  type MetricReading,
  type MetricSource,
  missing,
  type Reading,
  type SnapshotOptions,
  type SourceSnapshot,
} from './source.ts';

/**
 * The embedded default when no Prometheus is configured: scrapes each `/metrics`
 * endpoint itself, reads the version from each series' `version` label, and evaluates
 * the catalogue from counters and histogram buckets (canary/metrics/evaluate.ts). Each
 * endpoint is one part, so a restarted process is a per-endpoint counter reset.
 *
 * An endpoint that cannot be scraped makes the versions it served last time missing
 * (or every version, if it never answered): a partial sum must not pass for a total.
 */

export interface DirectScrapeOptions extends EvaluateOptions {
  /** Full URLs of the `/metrics` endpoints. */
  endpoints: readonly string[];
  /** Default: 2 s per attempt, 2 attempts, 4 s in all — a scrape is cheap to repeat next interval. */
  retry?: Partial<RetryPolicy>;
  headers?: Record<string, string>;
  concurrency?: number;
}

type Scrape = { ok: true; samples: Sample[] } | { ok: false; reason: string };

export class DirectScrapeSource implements MetricSource {
  readonly name = 'direct-scrape' as const;
  private readonly retry: RetryPolicy;
  /** Versions each endpoint exposed at its last good scrape. */
  private readonly servedBy = new Map<string, Set<string>>();

  constructor(private readonly options: DirectScrapeOptions) {
    if (options.endpoints.length === 0) throw new Error('direct scrape needs at least one endpoint');
    this.retry = { ...DEFAULT_RETRY, timeoutMs: 2_000, attempts: 2, totalMs: 4_000, ...options.retry };
  }

  async snapshot(
    metrics: readonly MetricDecl[],
    versions: readonly string[],
    options: SnapshotOptions = {},
  ): Promise<SourceSnapshot> {
    const limit = pLimit(this.options.concurrency ?? 8);
    const scrapes = await Promise.all(
      this.options.endpoints.map((url) => limit(() => this.scrape(url, options.signal))),
    );
    const at = Date.now();
    const versionLabel = this.options.versionLabel ?? VERSION_LABEL;

    // Which versions a failed endpoint leaves incomplete.
    const broken = new Map<string, string>();
    for (const [i, scrape] of scrapes.entries()) {
      const url = this.options.endpoints[i]!;
      if (scrape.ok) {
        this.servedBy.set(
          url,
          new Set(
            scrape.samples.map((s) => s.labels[versionLabel]).filter((v): v is string => v !== undefined),
          ),
        );
        continue;
      }
      const served = this.servedBy.get(url);
      for (const version of served ?? versions)
        if (!broken.has(version)) broken.set(version, `${url}: ${scrape.reason}`);
    }

    const out: Record<string, MetricReading> = {};
    for (const metric of metrics) out[metric.id] = this.evaluate(metric, scrapes, versions, broken);
    return { source: this.name, at, metrics: out };
  }

  describeQuery(metric: MetricDecl, versions: readonly string[]): string {
    const label = this.options.versionLabel ?? VERSION_LABEL;
    const sel = (series: string, matchers: Readonly<Record<string, string>> = {}, extra = '') =>
      `${series}{${[
        ...Object.entries({ ...this.options.matchers, ...matchers }).map(([k, v]) => `${k}="${v}"`),
        `${label}=~"${versions.join('|')}"`,
        ...(extra ? [extra] : []),
      ].join(',')}}`;
    const of = (s: {
      series?: string;
      matchers?: Record<string, string>;
      histogram?: string;
      le?: number;
    }) =>
      s.histogram !== undefined
        ? `${sel(`${s.histogram}_count`)} − ${sel(`${s.histogram}_bucket`, {}, `le="${s.le}"`)}`
        : s.series !== undefined
          ? sel(s.series, s.matchers)
          : '(a PromQL template)';
    const what =
      metric.kind === 'events'
        ? `bad: ${of(metric.bad as Parameters<typeof of>[0])}; total: ${of(metric.total as Parameters<typeof of>[0])}`
        : metric.kind === 'quantile'
          ? sel(`${metric.histogram}_bucket`)
          : '(a PromQL template)';
    return `${what}, scraped from ${this.options.endpoints.join(', ')}`;
  }

  private evaluate(
    metric: MetricDecl,
    scrapes: Scrape[],
    versions: readonly string[],
    broken: Map<string, string>,
  ): MetricReading {
    const override = <T>(byVersion: Record<string, Reading<T>>): Record<string, Reading<T>> => {
      for (const [version, reason] of broken)
        if (version in byVersion)
          byVersion[version] = missing('error', `scrape failed: ${reason}`, 'SG_UPSTREAM_UNAVAILABLE');
      return byVersion;
    };
    if (usesPromql(metric))
      return {
        kind: metric.kind,
        byVersion: Object.fromEntries(
          versions.map((v) => [
            v,
            missing('unsupported', `metric ${metric.id} is a PromQL template and needs a Prometheus source`),
          ]),
        ),
      } as MetricReading;
    // Names what was looked for, so "no series" says which selector found nothing.
    const label = this.options.versionLabel ?? VERSION_LABEL;
    const series =
      metric.kind === 'events' && 'series' in metric.total
        ? metric.total.series
        : metric.kind === 'quantile'
          ? `${metric.histogram}_bucket`
          : metric.id;
    const describe = `series ${series}{${label}=~"${versions.join('|')}"} in a direct scrape of ${this.options.endpoints.length} endpoint(s)`;
    switch (metric.kind) {
      case 'events': {
        const found: ByVersionPart<RawEventValues> = new Map();
        for (const [i, scrape] of scrapes.entries()) {
          if (!scrape.ok) continue;
          for (const [version, values] of evaluateEvents(metric, scrape.samples, this.options))
            addPart(found, version, this.options.endpoints[i]!, () => values);
        }
        return { kind: 'events', byVersion: override(assembleEvents(found, versions, describe)) };
      }
      case 'quantile': {
        const found: ByVersionPart<Map<number, number>> = new Map();
        for (const [i, scrape] of scrapes.entries()) {
          if (!scrape.ok) continue;
          for (const [version, buckets] of evaluateBuckets(metric, scrape.samples, this.options))
            addPart(found, version, this.options.endpoints[i]!, () => buckets);
        }
        return { kind: 'quantile', byVersion: override(assembleBuckets(found, versions, describe)) };
      }
      case 'raw':
        throw new Error('unreachable: raw metrics are PromQL templates');
    }
  }

  private async scrape(url: string, signal?: AbortSignal): Promise<Scrape> {
    try {
      const answer = await requestWithRetry(
        url,
        { headers: { accept: 'text/plain;version=0.0.4', ...this.options.headers }, signal },
        this.retry,
      );
      if (answer.status !== 200) return { ok: false, reason: `HTTP ${answer.status}` };
      return { ok: true, samples: parseExposition(answer.body) };
    } catch (error) {
      if (error instanceof RetriesExhausted) return { ok: false, reason: error.reason };
      if (error instanceof ExpositionError)
        return { ok: false, reason: `not a Prometheus exposition: ${error.message}` };
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
