import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../contracts/platform/api.ts';
import { sampleOrder } from '../replay/testing.ts';
import { sandboxPlatform } from './sandbox.ts';
import type { PlatformAnswer } from './types.ts';

const answer = (status: number, body?: unknown, headers: Record<string, string> = {}): PlatformAnswer => ({
  status,
  headers,
  body,
  latencyMs: 1,
});

const shipped: OrderState = {
  orderId: 'o-1',
  version: 'stable',
  status: 'shipped',
  outcome: 'shipped',
  region: 'NW',
  serviceLevel: 'standard',
  value: 10,
  vip: false,
  promisedBy: '2026-01-03T00:00:00.000Z',
  acceptedAt: '2026-01-01T00:00:00.000Z',
  carrier: 'parcelly',
  service: 'SP-STD',
  shipmentId: 'S-1',
  processingMs: 12,
};

describe('the built-in sandbox adapter', () => {
  it('sends the order as it is to POST /v1/orders', async () => {
    const order = sampleOrder({ id: 'o-1' });
    const request = await sandboxPlatform.submit(order, { key: 'o-1', target: 'candidate', attempt: 1 });
    expect(request).toMatchObject({ method: 'POST', path: '/v1/orders', body: order });
    expect(sandboxPlatform.idempotency).toEqual({ kind: 'header', header: 'Idempotency-Key' });
  });

  it('reads 202 as accepted (duplicate when said), 503/429 as retryable, anything else as refused', async () => {
    const order = sampleOrder({ id: 'o-1' });
    const ctx = { key: 'o-1', target: 'candidate', attempt: 1 };
    expect(await sandboxPlatform.readSubmit(answer(202, { duplicate: true }), order, ctx)).toEqual({
      kind: 'accepted',
      duplicate: true,
    });
    expect(await sandboxPlatform.readSubmit(answer(202, 'not json'), order, ctx)).toEqual({
      kind: 'accepted',
      duplicate: false,
    });
    expect(await sandboxPlatform.readSubmit(answer(503), order, ctx)).toEqual({
      kind: 'retryable',
      reason: 'HTTP 503',
    });
    expect(await sandboxPlatform.readSubmit(answer(400), order, ctx)).toEqual({
      kind: 'refused',
      reason: 'HTTP 400',
    });
  });

  it('reads the batch lookup into reports: settled once decided, missing ids as missing', async () => {
    const outcome = sandboxPlatform.outcome;
    if (outcome.kind !== 'batch') throw new Error('expected a batch reader');
    const refs = [
      { id: 'o-1', key: 'o-1' },
      { id: 'o-2', key: 'o-2' },
      { id: 'o-3', key: 'o-3' },
    ];
    expect(outcome.request(refs)).toMatchObject({
      path: '/v1/orders/lookup',
      body: { ids: ['o-1', 'o-2', 'o-3'] },
    });
    const accepted: OrderState = { ...shipped, orderId: 'o-2', status: 'accepted' };
    delete accepted.outcome;
    const read = await outcome.read(answer(200, { orders: [shipped, accepted], missing: ['o-3'] }), refs);
    const one = read.get('o-1');
    expect(one).toMatchObject({
      kind: 'found',
      report: { status: 'shipped', settled: true, final: false, carrier: 'parcelly', outcome: 'shipped' },
    });
    if (one?.kind === 'found') expect(one.report.fields).toMatchObject({ region: 'NW', service: 'SP-STD' });
    expect(read.get('o-2')).toMatchObject({ kind: 'found', report: { settled: false } });
    expect(read.get('o-3')).toEqual({ kind: 'missing' });
    expect((await outcome.read(answer(500), refs)).size).toBe(0);
  });

  it('reads the clock, and nothing from an answer that is not one', () => {
    const clock = sandboxPlatform.clock!;
    expect(clock.request()).toEqual({ method: 'GET', path: '/v1/clock' });
    expect(clock.read(answer(200, { now: '2026-01-01T00:00:00.000Z', speed: 60 }))).toEqual({
      now: '2026-01-01T00:00:00.000Z',
      speed: 60,
    });
    expect(clock.read(answer(404))).toBeUndefined();
    expect(clock.read(answer(200, { now: 'soon', speed: 60 }))).toBeUndefined();
    expect(clock.read(answer(200, { now: '2026-01-01T00:00:00.000Z', speed: 0 }))).toBeUndefined();
  });
});
