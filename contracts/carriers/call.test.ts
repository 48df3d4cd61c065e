import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParcelRequest } from '../domain/shipping.ts';
import { createCarrierClient } from './index.ts';

/**
 * The clients against a stand-in carrier whose answers the test chooses: what the clients
 * forward, and how they report a provider that breaks its contract.
 */
let app: FastifyInstance;
let url: string;
let seen: Record<string, string | string[] | undefined> = {};
let body: unknown;
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  app = Fastify();
  app.all('/*', async (request, reply) => {
    seen = request.headers;
    body = request.body;
    return reply.code(answer.status).send(answer.body);
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

const parcel: ParcelRequest = {
  orderId: 'o-1',
  weightKg: 1,
  serviceLevel: 'standard',
  fromPostcode: '100000',
  toPostcode: '200000',
  recipient: {
    name: 'N',
    phone: '+4912345678',
    email: 'n@example.com',
    line1: 'L',
    city: 'C',
    country: 'DE',
  },
  shipDate: '2026-03-02T15:00:00.000Z',
};

const tariffs = (overrides: Record<string, unknown> = {}) => ({
  tariff_codes: [
    {
      tariff_code: 137,
      tariff_name: 'Parcel',
      delivery_mode: 1,
      delivery_sum: 7.5,
      currency: 'USD',
      period_min: 1,
      period_max: 3,
      ...overrides,
    },
  ],
});

describe('carrier clients', () => {
  it('forward trace context but never let the caller override auth', async () => {
    answer = { status: 200, body: tariffs() };
    const client = createCarrierClient('steppe', { baseUrl: url, apiKey: 'real-key' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const quotes = await client.quote(parcel, { headers: { traceparent, authorization: 'Bearer stolen' } });
    expect(quotes).toEqual([
      expect.objectContaining({ service: '137', serviceLevel: 'standard', price: 7.5, transitDays: 3 }),
    ]);
    expect(seen.traceparent).toBe(traceparent);
    expect(seen.authorization).toBe('Bearer real-key');
  });

  it('name the field of a renamed or dropped response field, not retryable', async () => {
    const renamed = tariffs();
    const tariff = renamed.tariff_codes[0] as Record<string, unknown>;
    tariff.total_sum = tariff.delivery_sum;
    delete tariff.delivery_sum;
    answer = { status: 200, body: renamed };
    const client = createCarrierClient('steppe', { baseUrl: url, apiKey: 'k' });
    const error = await client.quote(parcel).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierError', retryable: false });
    expect((error as Error).message).toContain('delivery_sum');
  });

  it('name a changed status enum', async () => {
    answer = {
      status: 200,
      body: {
        tracking_number: 'T',
        status_code: 'XX',
        status_description: 'new',
        ship_date: '2026-03-02T15:00:00.000Z',
        estimated_delivery_date: null,
        actual_delivery_date: null,
        events: [],
      },
    };
    const client = createCarrierClient('labelfast', { baseUrl: url, apiKey: 'k' });
    const error = await client.track({ shipmentId: 'se-1', trackingNumber: 'T' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('status_code');
  });

  it('accept an added optional field', async () => {
    answer = { status: 200, body: tariffs({ carbon_grams: 120 }) };
    const client = createCarrierClient('steppe', { baseUrl: url, apiKey: 'k' });
    await expect(client.quote(parcel)).resolves.toHaveLength(1);
  });

  it('treat 5xx and 429 as retryable and 4xx as not', async () => {
    const client = createCarrierClient('parcelly', { baseUrl: url, apiKey: 'k' });
    for (const [status, retryable] of [
      [503, true],
      [429, true],
      [422, false],
    ] as const) {
      answer = { status, body: { error: { code: 'X', message: 'nope', errors: [] } } };
      await expect(client.quote(parcel)).rejects.toMatchObject({ status, retryable });
    }
  });

  it('send kilograms as ounces to parcelly', async () => {
    answer = { status: 503, body: {} };
    await createCarrierClient('parcelly', { baseUrl: url, apiKey: 'k' })
      .quote({ ...parcel, weightKg: 2 })
      .catch(() => undefined);
    expect(body).toMatchObject({ shipment: { parcel: { weight: 70.5 } } });
  });
});
