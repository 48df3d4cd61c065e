import Type, { type Static } from 'typebox';
import { shipgateError } from '../../core/errors.ts';
import { describeIssues, validator } from '../../core/schema/validate.ts';
import { DEFAULT_RETRY, RetriesExhausted, type RetryPolicy, requestWithRetry } from './http-retry.ts';

/**
 * A client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), also
 * right for Thanos and Mimir (optional bearer token, basic auth, extra headers such as
 * `X-Scope-OrgID`). Queries go as POST form bodies so long PromQL never hits URL limits.
 *
 * Failures throw core/errors.ts errors that name the query:
 * - SG_METRICS_QUERY_REJECTED: 400/422 with Prometheus' own error text (a config error);
 * - SG_UPSTREAM_UNAVAILABLE: network errors, timeouts, 5xx, 429 after bounded retries;
 * - SG_METRICS_RESPONSE_INVALID: a body that is not JSON or not the documented shape.
 * Sample values are parsed as Prometheus writes them: "NaN", "+Inf", "-Inf" included;
 * callers decide what a non-finite value means.
 */

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 or https://mimir.example/prometheus */
  url: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  headers?: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  /** For tests of the backoff; default Math.random. */
  random?: () => number;
}

const SampleValue = Type.Tuple([Type.Number(), Type.String()]);
const Labels = Type.Record(Type.String(), Type.String());
const VectorData = Type.Object({
  resultType: Type.Literal('vector'),
  result: Type.Array(Type.Object({ metric: Labels, value: SampleValue })),
});
const MatrixData = Type.Object({
  resultType: Type.Literal('matrix'),
  result: Type.Array(Type.Object({ metric: Labels, values: Type.Array(SampleValue) })),
});
const ScalarData = Type.Object({ resultType: Type.Literal('scalar'), result: SampleValue });
const StringData = Type.Object({ resultType: Type.Literal('string'), result: SampleValue });
const Success = Type.Object({
  status: Type.Literal('success'),
  data: Type.Union([VectorData, MatrixData, ScalarData, StringData]),
  warnings: Type.Optional(Type.Array(Type.String())),
});
const Failure = Type.Object({
  status: Type.Literal('error'),
  errorType: Type.Optional(Type.String()),
  error: Type.String(),
});
const checkSuccess = validator(Success);
const checkFailure = validator(Failure);

export interface InstantSample {
  labels: Record<string, string>;
  /** Seconds since the epoch, as Prometheus reports it. */
  time: number;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: { time: number; value: number }[];
}

export interface InstantResult {
  query: string;
  /** A scalar result comes back as one sample without labels. */
  samples: InstantSample[];
  warnings: string[];
}

export interface RangeResult {
  query: string;
  series: RangeSeries[];
  warnings: string[];
}

const SERVICE = 'Prometheus';

export class PrometheusClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.headers = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      ...options.headers,
    };
    if (options.bearerToken) this.headers['authorization'] = `Bearer ${options.bearerToken}`;
    else if (options.basicAuth) {
      const { username, password } = options.basicAuth;
      this.headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Instant query at `time` (epoch ms; default now on the server). */
  async query(query: string, options: { time?: number; signal?: AbortSignal } = {}): Promise<InstantResult> {
    const params = new URLSearchParams({ query });
    if (options.time !== undefined) params.set('time', String(options.time / 1000));
    return toInstant(await this.call('/api/v1/query', params, query, options.signal), this.url, query);
  }

  /** Range query from `start` to `end` (epoch ms) every `stepMs`. */
  async queryRange(
    query: string,
    range: { start: number; end: number; stepMs: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<RangeResult> {
    const params = new URLSearchParams({
      query,
      start: String(range.start / 1000),
      end: String(range.end / 1000),
      step: String(range.stepMs / 1000),
    });
    const body = await this.call('/api/v1/query_range', params, query, options.signal);
    if (body.data.resultType !== 'matrix')
      throw invalid(this.url, query, `expected a matrix, got a ${body.data.resultType}`);
    return {
      query,
      warnings: body.warnings ?? [],
      series: body.data.result.map((r) => ({
        labels: r.metric,
        points: r.values.map(([time, v]) => ({ time, value: parseSampleValue(v, this.url, query) })),
      })),
    };
  }

  private async call(
    path: string,
    params: URLSearchParams,
    query: string,
    signal?: AbortSignal,
  ): Promise<Static<typeof Success>> {
    let answer: Awaited<ReturnType<typeof requestWithRetry>>;
    try {
      answer = await requestWithRetry(
        `${this.url}${path}`,
        { method: 'POST', headers: this.headers, body: params.toString(), signal },
        this.retry,
        this.options.random,
      );
    } catch (error) {
      if (error instanceof RetriesExhausted) {
        throw shipgateError(
          'SG_UPSTREAM_UNAVAILABLE',
          { service: SERVICE, url: this.url, reason: `query ${query}: ${error.reason}` },
          error,
        );
      }
      throw error;
    }
    return decodeResponse(answer.status, answer.body, this.url, query);
  }
}

/**
 * Decodes an answer of the query API, pure (so it can be fuzzed): Prometheus' error
 * envelope, the documented success shape checked by schema, or a clear error naming
 * the query.
 */
export function decodeResponse(
  status: number,
  body: string,
  url: string,
  query: string,
): Static<typeof Success> {
  const answer = { status, body };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    if (answer.status === 400 || answer.status === 422) {
      throw shipgateError('SG_METRICS_QUERY_REJECTED', {
        service: SERVICE,
        url,
        query,
        reason: `HTTP ${answer.status}: ${answer.body.slice(0, 300)}`,
      });
    }
    throw invalid(url, query, `HTTP ${answer.status}, not JSON: ${JSON.stringify(answer.body.slice(0, 80))}`);
  }
  const failure = checkFailure(json);
  if (failure.ok) {
    if (answer.status === 400 || answer.status === 422) {
      throw shipgateError('SG_METRICS_QUERY_REJECTED', {
        service: SERVICE,
        url,
        query,
        reason: `${failure.value.errorType ?? 'error'}: ${failure.value.error}`,
      });
    }
    throw shipgateError('SG_UPSTREAM_UNAVAILABLE', {
      service: SERVICE,
      url,
      reason: `query ${query}: HTTP ${answer.status}: ${failure.value.error}`,
    });
  }
  if (answer.status === 401 || answer.status === 403) {
    throw shipgateError('SG_UPSTREAM_UNAVAILABLE', {
      service: SERVICE,
      url,
      reason: `query ${query}: HTTP ${answer.status} (check the token or credentials)`,
    });
  }
  const success = checkSuccess(json);
  if (!success.ok) throw invalid(url, query, `HTTP ${answer.status}: ${describeIssues(success.issues)}`);
  if (answer.status !== 200) throw invalid(url, query, `HTTP ${answer.status} with a success body`);
  return success.value;
}

/** A decoded instant-query answer as samples; pure. */
export function toInstant(body: Static<typeof Success>, url: string, query: string): InstantResult {
  const { data } = body;
  if (data.resultType === 'vector') {
    return {
      query,
      warnings: body.warnings ?? [],
      samples: data.result.map((r) => ({
        labels: r.metric,
        time: r.value[0],
        value: parseSampleValue(r.value[1], url, query),
      })),
    };
  }
  if (data.resultType === 'scalar') {
    return {
      query,
      warnings: body.warnings ?? [],
      samples: [{ labels: {}, time: data.result[0], value: parseSampleValue(data.result[1], url, query) }],
    };
  }
  throw invalid(url, query, `expected a vector or scalar, got a ${data.resultType}`);
}

function invalid(url: string, query: string, reason: string) {
  return shipgateError('SG_METRICS_RESPONSE_INVALID', { service: SERVICE, url, query, reason });
}

/** Prometheus writes sample values as Go's FormatFloat: decimals, exponents, NaN, ±Inf. */
export function parseSampleValue(text: string, url: string, query: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
    throw invalid(url, query, `sample value ${JSON.stringify(text.slice(0, 40))} is not a number`);
  return Number(text);
}
