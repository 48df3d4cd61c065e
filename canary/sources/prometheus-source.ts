import pLimit from 'p-limit';
import { isShipgateError } from '../../core/errors.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import type { RawEventValues } from '../metrics/evaluate.ts';
import { VERSION_LABEL } from '../metrics/names.ts';
import {
  allQueries,
  type CompileOptions,
  compileCumulative,
  compileRaw,
  compileWindowed,
  DEFAULT_PART_LABELS,
} from '../metrics/promql.ts';
import { addPart, assembleBuckets, assembleEvents, type ByVersionPart } from './assemble.ts';
import { type InstantSample, PrometheusClient, type PrometheusClientOptions } from './prometheus.ts';
import {
  type MetricReading,
  type MetricSource,
  missing,
  type Reading,
  readingOf,
  type SnapshotOptions,
  type SourceSnapshot,
} from './source.ts';

/**
 * The metric source backed by Prometheus (or Thanos, Mimir): compiles each catalogue
 * metric to cumulative PromQL, evaluates every query at one pinned instant (so bad and
 * total describe the same moment), and turns each failure into a Missing reading.
 */

export interface PrometheusSourceOptions extends PrometheusClientOptions {
  /** Label matchers, version label and part labels for every compiled query. */
  compile?: Omit<CompileOptions, 'versions'>;
  /** Queries in flight at once; default 4. */
  concurrency?: number;
  /** For tests: the evaluation instant (epoch ms); default Date.now(). */
  now?: () => number;
}

const DEFAULT_RAW_WINDOW = '5m';

export class PrometheusSource implements MetricSource {
  readonly name = 'prometheus' as const;
  readonly client: PrometheusClient;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: PrometheusSourceOptions) {
    this.client = new PrometheusClient(options);
    this.limit = pLimit(options.concurrency ?? 4);
  }

  async snapshot(
    metrics: readonly MetricDecl[],
    versions: readonly string[],
    options: SnapshotOptions = {},
  ): Promise<SourceSnapshot> {
    const at = (this.options.now ?? Date.now)();
    const compile: CompileOptions = { ...this.options.compile, versions };
    const entries = await Promise.all(
      metrics.map(
        async (metric) => [metric.id, await this.readMetric(metric, versions, compile, at, options)] as const,
      ),
    );
    return { source: this.name, at, metrics: Object.fromEntries(entries) };
  }

  /**
   * The metric's value over `window` per version, as the catalogue reports it (ratio,
   * quantile or raw), for threshold judges and charts. NaN (no traffic) and ±Inf
   * (a quantile past the last bucket) become Missing.
   */
  async windowed(
    metrics: readonly MetricDecl[],
    versions: readonly string[],
    window: string | number,
    options: { signal?: AbortSignal; time?: number } = {},
  ): Promise<Record<string, Record<string, Reading<number>>>> {
    const compile: CompileOptions = { ...this.options.compile, versions };
    const out: Record<string, Record<string, Reading<number>>> = {};
    await Promise.all(
      metrics.map(async (metric) => {
        if (metric.kind === 'raw') {
          out[metric.id] = await this.readRaw(metric, versions, window, options.time, options.signal);
          return;
        }
        const query = compileWindowed(metric, window, compile);
        const byVersion: Record<string, Reading<number>> = {};
        try {
          const result = await this.limit(() =>
            this.client.query(query, { time: options.time, signal: options.signal }),
          );
          for (const version of versions) {
            const sample = result.samples.find((s) => s.labels[this.versionLabel()] === version);
            byVersion[version] = sample
              ? readingOf(sample.value, `${metric.id} for version "${version}"`)
              : missing('empty', `no series for version "${version}" (${query})`);
          }
        } catch (error) {
          for (const version of versions) byVersion[version] = failed(error);
        }
        out[metric.id] = byVersion;
      }),
    );
    return out;
  }

  /**
   * Runs every query the metrics compile to once and throws the first
   * SG_METRICS_QUERY_REJECTED (exit 2): a typo in a selector or in raw PromQL is a
   * config error to report before the rollout starts, not a stream of inconclusive checks.
   * Outages are not thrown here; snapshots will report them.
   */
  async preflight(
    metrics: readonly MetricDecl[],
    versions: readonly string[],
    window: string | number = DEFAULT_RAW_WINDOW,
  ): Promise<void> {
    const compile: CompileOptions = { ...this.options.compile, versions };
    const queries = metrics.flatMap((m) => allQueries(m, window, compile));
    const results = await Promise.allSettled(queries.map((q) => this.limit(() => this.client.query(q))));
    for (const r of results) {
      if (
        r.status === 'rejected' &&
        isShipgateError(r.reason) &&
        r.reason.code === 'SG_METRICS_QUERY_REJECTED'
      )
        throw r.reason;
    }
  }

  /** The windowed value per version over a time range, for the report's charts. */
  async windowedRange(
    metric: MetricDecl,
    versions: readonly string[],
    window: string | number,
    range: { start: number; end: number; stepMs: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<Record<string, { time: number; value: number }[]>> {
    const out: Record<string, { time: number; value: number }[]> = {};
    const result = await this.limit(() =>
      this.client.queryRange(
        compileWindowed(metric, window, { ...this.options.compile, versions }),
        range,
        options,
      ),
    );
    // A window without traffic is 0/0 = NaN: no value, so no point (a gap in a chart), never a number.
    for (const version of versions) {
      const points = result.series.find((s) => s.labels[this.versionLabel()] === version)?.points ?? [];
      out[version] = points.filter((p) => Number.isFinite(p.value));
    }
    return out;
  }

  private versionLabel(): string {
    return this.options.compile?.versionLabel ?? VERSION_LABEL;
  }

  private partKey(labels: Record<string, string>): string {
    const partLabels = this.options.compile?.partLabels ?? DEFAULT_PART_LABELS;
    if (partLabels.length === 0) return '(all)';
    return partLabels.map((l) => `${l}=${JSON.stringify(labels[l] ?? '')}`).join(',');
  }

  private async readMetric(
    metric: MetricDecl,
    versions: readonly string[],
    compile: CompileOptions,
    at: number,
    options: SnapshotOptions,
  ): Promise<MetricReading> {
    const q = (query: string) =>
      this.limit(() => this.client.query(query, { time: at, signal: options.signal }));
    const compiled = compileCumulative(metric, compile);
    try {
      if (compiled.kind === 'events') {
        const [bad, total] = await Promise.all([q(compiled.bad), q(compiled.total)]);
        const found: ByVersionPart<RawEventValues> = new Map();
        this.collect(total.samples, (version, part, value) =>
          addPart(found, version, part, (p) => ({ ...p, total: value })),
        );
        this.collect(bad.samples, (version, part, value) =>
          addPart(found, version, part, (p) => ({ ...p, bad: value })),
        );
        return {
          kind: 'events',
          // The total names what found nothing: a bad counter absent where the total exists is zero.
          byVersion: assembleEvents(found, versions, compiled.total),
        };
      }
      if (compiled.kind === 'quantile') {
        const result = await q(compiled.buckets);
        const found: ByVersionPart<Map<number, number>> = new Map();
        this.collect(result.samples, (version, part, value, labels) => {
          const le = labels['le'] === '+Inf' ? Infinity : Number(labels['le']);
          if (Number.isNaN(le)) return;
          addPart(found, version, part, (p) => (p ?? new Map()).set(le, (p?.get(le) ?? 0) + value));
        });
        return { kind: 'quantile', byVersion: assembleBuckets(found, versions, compiled.buckets) };
      }
      return {
        kind: 'raw',
        byVersion: await this.readRaw(
          metric as Extract<MetricDecl, { kind: 'raw' }>,
          versions,
          options.rawWindow ?? DEFAULT_RAW_WINDOW,
          at,
          options.signal,
        ),
      };
    } catch (error) {
      const reading = failed(error);
      return {
        kind: metric.kind,
        byVersion: Object.fromEntries(versions.map((v) => [v, reading])),
      } as MetricReading;
    }
  }

  private collect(
    samples: InstantSample[],
    add: (version: string, part: string, value: number, labels: Record<string, string>) => void,
  ): void {
    for (const s of samples) {
      const version = s.labels[this.versionLabel()];
      if (version !== undefined) add(version, this.partKey(s.labels), s.value, s.labels);
    }
  }

  /** A raw template, once for all versions: one sample per version value, by the version label. */
  private async readRaw(
    metric: Extract<MetricDecl, { kind: 'raw' }>,
    versions: readonly string[],
    window: string | number,
    time: number | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, Reading<number>>> {
    let query: string;
    try {
      query = compileRaw(metric, window, { ...this.options.compile, versions });
    } catch (error) {
      const reading = missing<number>('error', (error as Error).message, 'SG_CONFIG_INVALID');
      return Object.fromEntries(versions.map((v) => [v, reading]));
    }
    const out: Record<string, Reading<number>> = {};
    try {
      const result = await this.limit(() => this.client.query(query, { time, signal }));
      for (const version of versions) {
        const found = result.samples.filter((s) => s.labels[this.versionLabel()] === version);
        out[version] =
          found.length === 0
            ? missing('empty', `no result for version "${version}" (${query})`, undefined, query)
            : found.length > 1
              ? missing('error', `${found.length} series for version "${version}", expected one (${query})`)
              : readingOf(found[0]!.value, `${metric.id} for version "${version}"`);
      }
    } catch (error) {
      for (const version of versions) out[version] = failed(error);
    }
    return out;
  }

  /** The cumulative PromQL a snapshot evaluates for `metric` (a raw template: its rendering). */
  queries(metric: MetricDecl, versions: readonly string[]): string[] {
    const compile: CompileOptions = { ...this.options.compile, versions };
    if (metric.kind === 'raw') return allQueries(metric, DEFAULT_RAW_WINDOW, compile);
    const cumulative = compileCumulative(metric, compile);
    if (cumulative.kind === 'events') return [cumulative.bad, cumulative.total];
    return cumulative.kind === 'quantile' ? [cumulative.buckets] : [];
  }
}

function failed<T>(error: unknown): Reading<T> {
  if (isShipgateError(error)) return missing('error', error.message, error.code);
  return missing('error', error instanceof Error ? error.message : String(error));
}
