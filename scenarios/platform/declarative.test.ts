import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { sampleOrder } from '../replay/testing.ts';
import type { DeclarativePlatform } from './config.ts';
import { compileDeclarativePlatform } from './declarative.ts';
import type { PlatformAnswer } from './types.ts';

const base: DeclarativePlatform = {
  name: 'shop',
  idempotency: { in: 'header', header: 'X-Request-Key' },
  submit: {
    method: 'POST',
    path: '/api/{{target}}/orders/{{order.id}}',
    headers: { 'X-Api-Key': { env: 'SHOP_KEY', prefix: 'Key ' } },
    body: '{ "ref": id, "kg": $sum(items.(qty * weightKg)), "key": $key }',
    platformId: 'orderNumber',
    duplicate: '$status = 200',
    reason: 'code',
  },
  outcome: {
    batch: {
      path: '/api/orders/search',
      body: '{ "refs": ids }',
      maxBatch: 50,
      items: 'results',
      id: 'ref',
      missing: 'unknown',
    },
    report: {
      status: 'state',
      settled: 'state in ["booked", "cancelled"]',
      final: 'state = "cancelled"',
      carrier: 'shipping.carrier',
      promisedBy: 'shipping.eta',
      fields: { depot: 'depot', tags: 'tags' },
    },
  },
  clock: { path: '/api/time', now: 'time', speed: 'rate' },
  decisions: { fields: ['carrier', 'depot'], groupBy: ['depot'] },
};

const answer = (status: number, body?: unknown, headers: Record<string, string> = {}): PlatformAnswer => ({
  status,
  headers,
  body,
  latencyMs: 1,
});

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isShipgateError(error)) return error.message;
    throw error;
  }
  return 'no error';
}

describe('a declarative platform adapter', () => {
  const env = { SHOP_KEY: 's3cret' };
  const adapter = compileDeclarativePlatform(base, env);
  const order = sampleOrder({ id: 'o:1/2' });
  const ctx = { key: 'o:1/2', target: 'candidate', attempt: 1 };

  it('builds the request: mustache path with URL-encoded values, JSONata body, headers from the environment', async () => {
    const request = await adapter.submit(order, ctx);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/candidate/orders/o%3A1%2F2');
    expect(request.headers).toEqual({ 'X-Api-Key': 'Key s3cret' });
    const kg = order.items.reduce((s, i) => s + i.qty * i.weightKg, 0);
    expect(request.body).toEqual({ ref: 'o:1/2', kg, key: 'o:1/2' });
    expect(adapter.idempotency).toEqual({ kind: 'header', header: 'X-Request-Key' });
  });

  it('reads the answer: accepted with its id and duplicate flag, retryable 429/503, else refused with the code', async () => {
    expect(await adapter.readSubmit(answer(201, { orderNumber: 77 }), order, ctx)).toEqual({
      kind: 'accepted',
      platformId: '77',
      duplicate: false,
    });
    expect(await adapter.readSubmit(answer(200, { orderNumber: 'A' }), order, ctx)).toMatchObject({
      duplicate: true,
    });
    expect(await adapter.readSubmit(answer(503, { code: 'busy' }), order, ctx)).toEqual({
      kind: 'retryable',
      reason: 'HTTP 503 busy',
    });
    expect(await adapter.readSubmit(answer(422, 'not json at all'), order, ctx)).toEqual({
      kind: 'refused',
      reason: 'HTTP 422',
    });
  });

  it('reads a batch lookup into reports with the named fields, and the missing ids', async () => {
    const outcome = adapter.outcome;
    if (outcome.kind !== 'batch') throw new Error('expected batch');
    const refs = [
      { id: 'a', key: 'a' },
      { id: 'b', key: 'b' },
      { id: 'c', key: 'c' },
    ];
    expect(await outcome.request(refs)).toMatchObject({
      path: '/api/orders/search',
      body: { refs: ['a', 'b', 'c'] },
    });
    const read = await outcome.read(
      answer(200, {
        results: [
          {
            ref: 'a',
            state: 'booked',
            depot: 'D1',
            tags: ['x'],
            shipping: { carrier: 'gw', eta: '2027-01-02' },
          },
          { ref: 'b', state: 'new', depot: 'D2' },
        ],
        unknown: ['c'],
      }),
      refs,
    );
    expect(read.get('a')).toEqual({
      kind: 'found',
      report: {
        orderId: 'a',
        status: 'booked',
        settled: true,
        final: false,
        carrier: 'gw',
        promisedBy: '2027-01-02',
        fields: {
          status: 'booked',
          carrier: 'gw',
          promisedBy: '2027-01-02',
          depot: 'D1',
          tags: '["x"]',
        },
      },
    });
    expect(read.get('b')).toMatchObject({ kind: 'found', report: { settled: false } });
    expect(read.get('c')).toEqual({ kind: 'missing' });
  });

  it('reads the clock, and nothing from an answer without one', async () => {
    const clock = adapter.clock!;
    expect(clock.request()).toMatchObject({ method: 'GET', path: '/api/time' });
    expect(await clock.read(answer(200, { time: '2027-01-01T00:00:00Z', rate: 60 }))).toEqual({
      now: '2027-01-01T00:00:00Z',
      speed: 60,
    });
    expect(await clock.read(answer(200, { time: 'later', rate: 60 }))).toBeUndefined();
  });

  it('names the key of each mistake before any order is sent', () => {
    expect(problem(() => compileDeclarativePlatform(base, {}))).toBe(
      'platform adapter shop: submit.headers.X-Api-Key: environment variable SHOP_KEY is not set',
    );
    expect(
      problem(() =>
        compileDeclarativePlatform({ ...base, submit: { ...base.submit, body: '{ "a": ' } }, env),
      ),
    ).toMatch(/^platform adapter shop: submit\.body: JSONata: /);
    expect(
      problem(() =>
        compileDeclarativePlatform({ ...base, submit: { ...base.submit, path: '/x/{{#a}}' } }, env),
      ),
    ).toMatch(/^platform adapter shop: submit\.path: template: /);
  });

  it('keys orders by its expression when given one', async () => {
    const keyed = compileDeclarativePlatform({ ...base, key: '$target & "-" & $replace(id, ":", "_")' }, env);
    expect(await keyed.key!(order, 'baseline')).toBe('baseline-o_1/2');
  });
});
