import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../../contracts/domain/order.ts';
import { isShipgateError } from '../../core/errors.ts';
import { PlatformHttp } from '../platform/http.ts';
import { sandboxPlatform } from '../platform/sandbox.ts';
import type {
  ClockReading,
  OrderReading,
  OrderRef,
  OrderReport,
  PlatformAdapter,
  SubmitContext,
} from '../platform/types.ts';
import { startRequestTrace } from './traceparent.ts';

/**
 * The replayer's edge: orders out and outcomes in through a platform adapter (the
 * sandbox's by default). What stays shipgate's, whatever the adapter: the timeout, the
 * traceparent, and retries only where resending cannot create a second order —
 * connection failures and timeouts when the platform recognises a resend (its
 * idempotency key, the same on every attempt), answers the adapter reads as
 * retryable, always. Any other answer is final.
 */
export interface SubmitOutcome {
  status: 'accepted' | 'failed';
  /** HTTP status of the last attempt, 0 when no response was received. */
  http: number;
  /** Last attempt number used (1 for a first send that worked). */
  attempt: number;
  latencyMs: number;
  duplicate?: boolean;
  /** The platform's id for the order, when its answer gave one. */
  platformId?: string;
  /** The decision in the answer, when it held one. */
  report?: OrderReport;
  /** Why it failed: an HTTP status, the adapter's reason or a network error code. Never a response body. */
  error?: string;
  traceparent: string;
}

export interface PlatformClientOptions {
  connections: number;
  timeoutMs: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt, with jitter. */
  backoffMs?: number;
  /** Default: the built-in sandbox adapter. */
  adapter?: PlatformAdapter;
  /** The target's name in the run (`candidate`, `baseline`): adapters may key orders by it. */
  label?: string;
}

/** Errors that mean the request never reached the platform: safe to resend even without idempotency. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Errors after which the platform may or may not have the order: resent only under the same key. */
const UNANSWERED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export class PlatformClient {
  private readonly http: PlatformHttp;
  readonly adapter: PlatformAdapter;
  readonly origin: string;
  private readonly label: string;

  constructor(
    target: URL,
    private readonly options: PlatformClientOptions,
  ) {
    this.adapter = options.adapter ?? sandboxPlatform;
    this.label = options.label ?? 'candidate';
    this.http = new PlatformHttp(
      target,
      { connections: options.connections, timeoutMs: options.timeoutMs },
      this.adapter.name,
    );
    this.origin = this.http.origin;
  }

  /** The order's idempotency key on this target: the same on every attempt and on resume. */
  async keyOf(order: Order): Promise<string> {
    return this.adapter.key ? await this.adapter.key(order, this.label) : order.id;
  }

  async submit(
    order: Order,
    line: number,
    firstAttempt: number,
    signal?: AbortSignal,
    /** The order's key when the caller knows it (else computed from `order`). */
    knownKey?: string,
  ): Promise<SubmitOutcome> {
    const trace = startRequestTrace(order.id, line);
    const started = performance.now();
    const last = firstAttempt + this.options.maxAttempts - 1;
    const adapter = this.adapter;
    let key: string;
    try {
      key = knownKey ?? (await this.keyOf(order));
    } catch (error) {
      // The adapter cannot key this order: nothing was sent.
      return this.fail(trace, 0, firstAttempt, started, `key: ${(error as Error).message}`);
    }
    const idempotent = adapter.idempotency.kind !== 'none';
    let http = 0;
    let error: string | undefined;
    for (let attempt = firstAttempt; attempt <= last; attempt++) {
      signal?.throwIfAborted();
      const context: SubmitContext = { key, target: this.label, attempt };
      try {
        const answer = await this.http.send(await adapter.submit(order, context), 'submit', {
          headers: {
            ...(adapter.idempotency.kind === 'header' ? { [adapter.idempotency.header]: key } : {}),
            'x-shipgate-attempt': String(attempt),
            ...trace.headers,
          },
          ...(signal ? { signal } : {}),
        });
        http = answer.status;
        const reading = await adapter.readSubmit(answer, order, context);
        if (reading.kind === 'accepted') {
          trace.end();
          return {
            status: 'accepted',
            http,
            attempt,
            latencyMs: performance.now() - started,
            duplicate: reading.duplicate === true,
            ...(reading.platformId !== undefined ? { platformId: reading.platformId } : {}),
            ...(reading.report ? { report: reading.report } : {}),
            traceparent: trace.traceparent,
          };
        }
        error = reading.reason || `HTTP ${http}`;
        if (reading.kind === 'refused') return this.fail(trace, http, attempt, started, error);
      } catch (caught) {
        if (signal?.aborted) throw signal.reason ?? caught;
        // An adapter's own mistake (a bad request it built) is the same on every attempt.
        if (isShipgateError(caught)) return this.fail(trace, 0, attempt, started, caught.message);
        const code = errorCode(caught);
        http = 0;
        error = code ?? (caught instanceof Error ? caught.message : 'request error');
        const retryable =
          code !== undefined && (UNSENT_CODES.has(code) || (idempotent && UNANSWERED_CODES.has(code)));
        if (!retryable) return this.fail(trace, 0, attempt, started, error);
      }
      if (attempt < last)
        await sleep(backoff(this.options.backoffMs ?? 50, attempt - firstAttempt), undefined, { signal });
    }
    return this.fail(trace, http, last, started, `${error} after ${this.options.maxAttempts} attempts`);
  }

  /** Can this adapter find an order it never answered for (by our id or key, without the platform's id)? */
  canLookUp(ref: OrderRef): boolean {
    const outcome = this.adapter.outcome;
    if (outcome.kind === 'batch') return true;
    if (outcome.kind === 'answer') return false;
    return outcome.request(ref) !== undefined;
  }

  /**
   * What the platform says of each order: by batches, or one status request per order
   * (a bounded number in flight). An order whose request cannot be built, or whose
   * answer says nothing, is `unknown`; a failed request too (asked again by the caller).
   */
  async lookup(refs: readonly OrderRef[], signal?: AbortSignal): Promise<Map<string, OrderReading>> {
    const outcome = this.adapter.outcome;
    const out = new Map<string, OrderReading>();
    if (outcome.kind === 'answer') return out;
    if (outcome.kind === 'batch') {
      for (let i = 0; i < refs.length; i += outcome.maxBatch) {
        const batch = refs.slice(i, i + outcome.maxBatch);
        const answer = await this.http.send(
          await outcome.request(batch),
          'outcome.request',
          signal ? { signal } : {},
        );
        const read = await outcome.read(answer, batch);
        for (const ref of batch) {
          const reading = read.get(ref.id) ?? read.get(ref.key);
          if (reading) out.set(ref.id, reading);
        }
      }
      return out;
    }
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const ref = refs[next++]!;
        const request = outcome.request(ref);
        if (!request) {
          out.set(ref.id, { kind: 'unknown', reason: 'no platform id to look it up by' });
          continue;
        }
        try {
          const answer = await this.http.send(request, 'outcome.request', signal ? { signal } : {});
          out.set(ref.id, await outcome.read(answer, ref));
        } catch (error) {
          if (signal?.aborted || isShipgateError(error)) throw error;
          out.set(ref.id, { kind: 'unknown', reason: errorCode(error) ?? String(error) });
        }
      }
    };
    const workers = Math.max(1, Math.min(outcome.concurrency ?? 16, refs.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return out;
  }

  /** The target's clock, or undefined when it has none (real time). */
  async clock(signal?: AbortSignal): Promise<(ClockReading & { readAtMs: number }) | undefined> {
    const reader = this.adapter.clock;
    if (!reader) return undefined;
    // The clock was read somewhere between the request and the answer: the midpoint
    // halves the error a slow answer adds (times the clock's speed).
    const sentAtMs = Date.now();
    try {
      const answer = await this.http.send(reader.request(), 'clock.request', signal ? { signal } : {});
      const state = await reader.read(answer);
      if (!state || !Number.isFinite(Date.parse(state.now)) || !(state.speed > 0)) return undefined;
      return { ...state, readAtMs: (sentAtMs + Date.now()) / 2 };
    } catch (error) {
      if (signal?.aborted || isShipgateError(error)) throw error;
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.http.close();
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
