/**
 * GET/POST with a per-request timeout and bounded retries (exponential backoff with
 * full jitter, as in the AWS architecture blog's analysis: it spreads retries of many
 * clients best). Retried: network errors, timeouts, 5xx and 429 (honouring a short
 * Retry-After). Bounded both in attempts and in total time, so a dead backend costs a
 * known, small amount of a check interval.
 */

export interface RetryPolicy {
  /** Per attempt. */
  timeoutMs: number;
  /** Including the first. */
  attempts: number;
  /** Wall-clock budget for all attempts and waits together. */
  totalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  timeoutMs: 5_000,
  attempts: 4,
  totalMs: 15_000,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
};

export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
  attempts: number;
}

/** Every attempt failed in a retryable way; `reason` says how the last one did. */
export class RetriesExhausted extends Error {
  constructor(
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(reason);
    this.name = 'RetriesExhausted';
  }
}

/** Bodies beyond this are refused: a misconfigured URL must not fill memory. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The time the budget is counted in and waited on; tests pass a virtual one. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const WALL_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function requestWithRetry(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
  clock: RetryClock = WALL_CLOCK,
): Promise<HttpAnswer> {
  const started = clock.now();
  let lastReason = 'no attempt made';
  let made = 0;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const left = policy.totalMs - (clock.now() - started);
    if (left <= 0) break;
    made = attempt;
    const timeout = Math.min(policy.timeoutMs, left);
    let retryAfterMs: number | undefined;
    try {
      const signal = init.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeout)])
        : AbortSignal.timeout(timeout);
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: init.headers,
        body: init.body,
        signal,
        redirect: 'error',
      });
      const body = await readBody(res);
      if (res.status < 500 && res.status !== 429) {
        return {
          status: res.status,
          body,
          contentType: res.headers.get('content-type') ?? '',
          attempts: attempt,
        };
      }
      lastReason = `HTTP ${res.status}${body ? `: ${body.slice(0, 200).trim()}` : ''}`;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    } catch (error) {
      if (init.signal?.aborted) throw error;
      lastReason = describeFetchError(error, timeout);
    }
    if (attempt === policy.attempts)
      throw new RetriesExhausted(`${lastReason} (after ${attempt} attempts)`, attempt);
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * random();
    const wait = Math.min(
      Math.max(backoff, retryAfterMs ?? 0),
      policy.maxDelayMs,
      policy.totalMs - (clock.now() - started),
    );
    if (wait < 0) break;
    await clock.sleep(wait);
  }
  throw new RetriesExhausted(`${lastReason} (gave up after ${policy.totalMs} ms)`, made);
}

async function readBody(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) {
    await res.body?.cancel();
    throw new Error(`response of ${declared} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  const text = await res.text();
  if (text.length > MAX_BODY_BYTES) throw new Error(`response exceeds ${MAX_BODY_BYTES} bytes`);
  return text;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `timed out after ${timeoutMs} ms`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
