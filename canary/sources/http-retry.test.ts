import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RetriesExhausted, requestWithRetry } from './http-retry.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function server(answer: (n: number) => { status: number; headers?: Record<string, string> }) {
  const app = Fastify({ forceCloseConnections: true });
  const hits: number[] = [];
  app.get('/', async (_req, reply) => {
    hits.push(Date.now());
    const a = answer(hits.length);
    return reply
      .code(a.status)
      .headers(a.headers ?? {})
      .send('x');
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return { url, hits };
}

describe('requestWithRetry', () => {
  it('stops at the total time budget however many attempts are allowed', async () => {
    const { url, hits } = await server(() => ({ status: 503 }));
    const started = Date.now();
    const error = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 50, totalMs: 400, baseDelayMs: 50, maxDelayMs: 100 },
      () => 1,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).reason).toMatch(/HTTP 503/);
    // Each attempt's timeout is clipped to the budget left, so only scheduling adds to 400 ms; the margin is for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(1400);
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.length).toBeLessThan(10);
  });

  it('backs off exponentially, capped, and honours a short Retry-After', async () => {
    const { url, hits } = await server((n) =>
      n < 3 ? { status: 429, headers: { 'retry-after': '0.2' } } : { status: 200 },
    );
    const answer = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 5, totalMs: 5000, baseDelayMs: 1, maxDelayMs: 1000 },
      () => 0,
    );
    expect(answer).toMatchObject({ status: 200, attempts: 3 });
    // Jitter 0 would retry at once; Retry-After holds each retry ≥ 200 ms.
    expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(180);
    expect(hits[2]! - hits[1]!).toBeGreaterThanOrEqual(180);
  });

  it('does not retry a client error', async () => {
    const { url, hits } = await server(() => ({ status: 404 }));
    const answer = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 5, totalMs: 5000, baseDelayMs: 1, maxDelayMs: 10 },
    );
    expect(answer.status).toBe(404);
    expect(hits).toHaveLength(1);
  });
});
