import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Order } from '../../contracts/domain/order.ts';
import {
  type ClockState,
  type LookupResponse,
  type OrderAccepted,
  PLATFORM_PATHS,
} from '../../contracts/platform/api.ts';
import { startRequestTrace } from './traceparent.ts';

/**
 * The replayer's HTTP edge: one undici Pool per target (keep-alive connections, no
 * per-request agent lookup), the order intake with retries, lookup and clock.
 *
 * Retries happen only where resending cannot create a second order: connection
 * failures, timeouts, 503 and 429, always with the same `Idempotency-Key` (the order
 * id), so the platform's idempotent intake answers `duplicate: true` if the first
 * attempt did land. Any other answer is final.
 */
export interface SubmitOutcome {
  status: 'accepted' | 'failed';
  /** HTTP status of the last attempt, 0 when no response was received. */
  http: number;
  /** Last attempt number used (1 for a first send that worked). */
  attempt: number;
  latencyMs: number;
  duplicate?: boolean;
  /** Why it failed: an HTTP status or a network error code. Never a response body (it may echo PII). */
  error?: string;
  traceparent: string;
}

export interface PlatformClientOptions {
  connections: number;
  timeoutMs: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt, with jitter. */
  backoffMs?: number;
}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const RETRYABLE_STATUS = new Set([503, 429]);

export class PlatformClient {
  private readonly pool: Pool;
  readonly origin: string;

  constructor(
    target: URL,
    private readonly options: PlatformClientOptions,
  ) {
    this.origin = target.origin;
    this.pool = new Pool(target.origin, {
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
    });
  }

  async submit(
    order: Order,
    line: number,
    firstAttempt: number,
    signal?: AbortSignal,
  ): Promise<SubmitOutcome> {
    const trace = startRequestTrace(order.id, line);
    const body = JSON.stringify(order);
    const started = performance.now();
    const last = firstAttempt + this.options.maxAttempts - 1;
    let http = 0;
    let error: string | undefined;
    for (let attempt = firstAttempt; attempt <= last; attempt++) {
      signal?.throwIfAborted();
      try {
        const res = await this.pool.request({
          path: PLATFORM_PATHS.orders,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': order.id,
            'x-shipgate-attempt': String(attempt),
            ...trace.headers,
          },
          body,
          signal,
        });
        http = res.statusCode;
        if (http >= 200 && http < 300) {
          const accepted = (await res.body.json().catch(() => ({}))) as Partial<OrderAccepted>;
          trace.end();
          return {
            status: 'accepted',
            http,
            attempt,
            latencyMs: performance.now() - started,
            duplicate: accepted.duplicate === true,
            traceparent: trace.traceparent,
          };
        }
        await res.body.dump();
        error = `HTTP ${http}`;
        if (!RETRYABLE_STATUS.has(http)) return this.fail(trace, http, attempt, started, error);
      } catch (caught) {
        if (signal?.aborted) throw signal.reason ?? caught;
        const code = errorCode(caught);
        http = 0;
        error = code ?? 'request error';
        if (!code || !RETRYABLE_CODES.has(code)) return this.fail(trace, 0, attempt, started, error);
      }
      if (attempt < last)
        await sleep(backoff(this.options.backoffMs ?? 50, attempt - firstAttempt), undefined, { signal });
    }
    return this.fail(trace, http, last, started, `${error} after ${this.options.maxAttempts} attempts`);
  }

  async lookup(ids: string[], signal?: AbortSignal): Promise<LookupResponse> {
    const res = await this.pool.request({
      path: PLATFORM_PATHS.lookup,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
      signal,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`lookup answered HTTP ${res.statusCode}`);
    }
    return (await res.body.json()) as LookupResponse;
  }

  /** The target's virtual clock, or undefined when it has none (a platform without /v1/clock). */
  async clock(signal?: AbortSignal): Promise<(ClockState & { readAtMs: number }) | undefined> {
    // The clock was read somewhere between the request and the answer: the midpoint
    // halves the error a slow answer adds (times the clock's speed).
    const sentAtMs = Date.now();
    try {
      const res = await this.pool.request({ path: PLATFORM_PATHS.clock, method: 'GET', signal });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return undefined;
      }
      const state = (await res.body.json()) as ClockState;
      if (!Number.isFinite(Date.parse(state.now)) || !(state.speed > 0)) return undefined;
      return { ...state, readAtMs: (sentAtMs + Date.now()) / 2 };
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
  }

  private fail(
    trace: ReturnType<typeof startRequestTrace>,
    http: number,
    attempt: number,
    started: number,
    error: string,
  ): SubmitOutcome {
    trace.end(true);
    return {
      status: 'failed',
      http,
      attempt,
      latencyMs: performance.now() - started,
      error,
      traceparent: trace.traceparent,
    };
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function backoff(baseMs: number, retry: number): number {
  const capped = Math.min(baseMs * 2 ** retry, 2_000);
  return capped / 2 + Math.random() * (capped / 2);
}
