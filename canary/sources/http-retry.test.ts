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

/**
 * Virtual time for the budget and the waits: a wait advances the clock at once, and
 * the requests themselves (to a loopback server) take no virtual time. What the loop
 * decides then depends on the policy alone, not on how busy the machine is.
 */
function virtualClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('requestWithRetry', () => {
  it('stops at the total time budget however many attempts are allowed', async () => {
    const { url, hits } = await server(() => ({ status: 503 }));
    const clock = virtualClock();
    const error = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 50, totalMs: 400, baseDelayMs: 100, maxDelayMs: 100 },
      () => 1,
      clock,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).message).toMatch(/gave up after 400 ms/);
    // Four attempts, each followed by a 100 ms wait; the last wait is clipped to what is
    // left, and then nothing is: the 46 attempts still allowed are not made.
    expect(clock.waits).toEqual([100, 100, 100, 100]);
    expect((error as RetriesExhausted).attempts).toBe(4);
    // The last attempt's timeout was clipped to the 100 ms left; on a very busy machine it
    // may run out before the 503 comes back, which is still an answered budget.
    expect((error as RetriesExhausted).reason).toMatch(/HTTP 503|timed out after 100 ms/);
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.length).toBeLessThanOrEqual(4);
  });

  it('clips the last wait to the budget left', async () => {
    const { url } = await server(() => ({ status: 503 }));
    const clock = virtualClock();
    const error = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 50, totalMs: 250, baseDelayMs: 100, maxDelayMs: 100 },
      () => 1,
      clock,
    ).catch((e: unknown) => e);
    expect(clock.waits).toEqual([100, 100, 50]);
    expect((error as RetriesExhausted).attempts).toBe(3);
  });

  it('backs off exponentially, capped, and honours a short Retry-After', async () => {
    const { url } = await server((n) =>
      n < 3 ? { status: 429, headers: { 'retry-after': '0.2' } } : { status: 503 },
    );
    const clock = virtualClock();
    await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 6, totalMs: 60_000, baseDelayMs: 100, maxDelayMs: 700 },
      () => 1,
      clock,
    ).catch((e: unknown) => e);
    // Backoff 100, 200, then Retry-After's 200 ms gone: 400, 700 (capped at maxDelayMs).
    expect(clock.waits).toEqual([200, 200, 400, 700, 700]);
  });

  it('waits for a short Retry-After even when jitter draws no wait', async () => {
    const { url, hits } = await server((n) =>
      n < 3 ? { status: 429, headers: { 'retry-after': '0.2' } } : { status: 200 },
    );
    const clock = virtualClock();
    const answer = await requestWithRetry(
      url,
      {},
      { timeoutMs: 1000, attempts: 5, totalMs: 5000, baseDelayMs: 1, maxDelayMs: 1000 },
      () => 0,
      clock,
    );
    expect(answer).toMatchObject({ status: 200, attempts: 3 });
    expect(hits).toHaveLength(3);
    expect(clock.waits).toEqual([200, 200]);
  });

  it('waits on the wall clock by default', async () => {
    const { url, hits } = await server((n) =>
      n < 2 ? { status: 429, headers: { 'retry-after': '0.2' } } : { status: 200 },
    );
    const answer = await requestWithRetry(
      url,
      {},
      { timeoutMs: 5000, attempts: 3, totalMs: 30_000, baseDelayMs: 1, maxDelayMs: 1000 },
      () => 0,
    );
    expect(answer).toMatchObject({ status: 200, attempts: 2 });
    // Only a lower bound: a busy machine makes the wait longer, never shorter.
    expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(190);
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
