import { Pool } from 'undici';

/**
 * One keep-alive connection pool per target (undici), sending a request exactly as
 * prepared: one attempt, no retry. A raw request has no idempotency key, so resending
 * one that may have landed could act twice (a second order, a second payment); a
 * request with no answer is reported as failed with its error code instead.
 */
export interface RawAnswer {
  /** HTTP status; 0 when no response arrived. */
  http: number;
  latencyMs: number;
  /** The body when it arrived in full (up to `maxBodyBytes`); never written anywhere. */
  body?: Buffer;
  json: boolean;
  /** Why no answer: an error code or message, never a body. */
  error?: string;
}

export interface RawClientOptions {
  connections: number;
  timeoutMs: number;
  /** Bodies beyond this are compared by hash of their first bytes only (default 8 MiB). */
  maxBodyBytes?: number;
}

export class RawClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    private readonly options: RawClientOptions,
  ) {
    this.pool = new Pool(origin, {
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async send(
    request: { method: string; path: string; headers: Record<string, string>; body?: Buffer },
    signal?: AbortSignal,
  ): Promise<RawAnswer> {
    const started = performance.now();
    const max = this.options.maxBodyBytes ?? 8 * 1024 * 1024;
    try {
      const response = await this.pool.request({
        method: request.method as 'GET',
        path: request.path,
        headers: request.headers,
        ...(request.body && !['GET', 'HEAD'].includes(request.method) ? { body: request.body } : {}),
        ...(signal ? { signal } : {}),
      });
      const parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        if (size < max) parts.push(buffer.subarray(0, max - size));
        size += buffer.length;
      }
      const type = String(response.headers['content-type'] ?? '');
      return {
        http: response.statusCode,
        latencyMs: performance.now() - started,
        body: Buffer.concat(parts),
        json: /\bjson\b/i.test(type) && size <= max,
      };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return {
        http: 0,
        latencyMs: performance.now() - started,
        json: false,
        error: code ?? (error instanceof Error ? error.message : String(error)),
      };
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
