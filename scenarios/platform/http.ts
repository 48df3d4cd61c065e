import { Pool } from 'undici';
import { checkRequest } from './define.ts';
import type { PlatformAnswer, PlatformRequest } from './types.ts';

/**
 * Sends what an adapter describes to one target: one undici Pool per target
 * (keep-alive connections, no per-request agent lookup), requests built only from a
 * path, so the host is always the target's (and the allowlist's) choice, never the
 * adapter's. Answers are read whole and parsed as JSON when they are JSON.
 */
export interface PlatformHttpOptions {
  connections: number;
  timeoutMs: number;
}

export class PlatformHttp {
  private readonly pool: Pool;
  readonly origin: string;

  constructor(
    target: URL,
    options: PlatformHttpOptions,
    private readonly source: string,
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

  /** `key` names the adapter part that built the request, for its errors. */
  async send(
    request: PlatformRequest | undefined,
    key: string,
    options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<PlatformAnswer> {
    const checked = checkRequest(request, this.source, key);
    const started = performance.now();
    const json = checked.body !== undefined && typeof checked.body !== 'string';
    const res = await this.pool.request({
      path: checked.path,
      method: checked.method,
      headers: {
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...checked.headers,
        ...options.headers,
      },
      ...(checked.body === undefined
        ? {}
        : { body: json ? JSON.stringify(checked.body) : (checked.body as string) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: res.statusCode,
      headers,
      body: parseBody(text),
      latencyMs: performance.now() - started,
    };
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
  }
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
