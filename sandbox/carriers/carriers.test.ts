import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierError } from '../../contracts/carriers/client.ts';
import { createCarrierClient } from '../../contracts/carriers/index.ts';
import { CARRIERS, type CarrierName, type ParcelRequest } from '../../contracts/domain/shipping.ts';
import { manualClock } from '../admin/manual-clock.ts';
import { type RunningService, startCarrier } from './start.ts';

const clock = manualClock();
const API_KEY = 'test-carrier-key';
const ADMIN = 'test-admin-token';
const DAY = 86_400_000;

function parcel(overrides: Partial<ParcelRequest> = {}): ParcelRequest {
  return {
    orderId: 'ord-1',
    weightKg: 1.35,
    serviceLevel: 'standard',
    fromPostcode: '100000',
    toPostcode: '420100',
    recipient: {
      name: 'Ада Лавлейс',
      phone: '+4915112345678',
      email: 'ada@example.com',
      line1: '1 Main St',
      city: 'Easton',
      country: 'DE',
    },
    shipDate: new Date(clock.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

const services = new Map<CarrierName, RunningService>();

beforeAll(async () => {
  for (const name of CARRIERS) {
    services.set(
      name,
      await startCarrier(name, {
        clock,
        apiKey: API_KEY,
        adminToken: ADMIN,
        latency: { minMs: 0, maxMs: 0 },
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all([...services.values()].map((service) => service.close()));
});

describe.each(CARRIERS)('%s over real HTTP through its client', (name) => {
  const client = () =>
    createCarrierClient(name, { baseUrl: services.get(name)!.url, apiKey: API_KEY, timeoutMs: 2000 });

  it('quotes, creates, tracks until delivered in virtual time, and refuses a late cancel', async () => {
    const request = parcel();
    const quotes = await client().quote(request);
    expect(quotes.map((q) => q.serviceLevel).sort()).toEqual(['economy', 'express', 'standard']);
    for (const quote of quotes) {
      expect(quote.carrier).toBe(name);
      expect(quote.price).toBeGreaterThan(0);
      expect(quote.transitDays).toBeGreaterThanOrEqual(1);
    }
    const express = quotes.find((q) => q.serviceLevel === 'express')!;
    const economy = quotes.find((q) => q.serviceLevel === 'economy')!;
    expect(express.price).toBeGreaterThan(economy.price);

    const shipment = await client().createShipment(request, express);
    expect(shipment).toMatchObject({ carrier: name, service: express.service, price: express.price });
    expect(shipment.trackingNumber).not.toBe('');

    let tracking = await client().track(shipment);
    expect(tracking.status).toBe('created');
    const seen = new Set<string>([tracking.status]);
    for (let hours = 0; hours < 24 * 20 && tracking.status !== 'delivered'; hours += 2) {
      clock.advance(2 * 3_600_000);
      tracking = await client().track(shipment);
      seen.add(tracking.status);
    }
    expect(tracking.status).toBe('delivered');
    expect(seen).toContain('in_transit');
    expect(seen).toContain('out_for_delivery');
    expect(tracking.deliveredAt).toBeDefined();
    expect(Date.parse(tracking.deliveredAt!)).toBeLessThanOrEqual(clock.now());
    const times = tracking.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(tracking.events.at(-1)?.status).toBe('delivered');

    const late = await client()
      .cancel(shipment)
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(CarrierError);
    expect((late as CarrierError).retryable).toBe(false);
  });

  it('cancels a shipment before pickup, and tracking shows it cancelled', async () => {
    const request = parcel({ shipDate: new Date(clock.now() + 2 * DAY).toISOString() });
    const [quote] = await client().quote(request);
    const shipment = await client().createShipment(request, quote!);
    await client().cancel(shipment);
    const tracking = await client().track(shipment);
    expect(tracking.status).toBe('cancelled');
    clock.advance(10 * DAY);
    expect((await client().track(shipment)).status).toBe('cancelled');
  });

  it('rejects a wrong API key with a non-retryable 401', async () => {
    const bad = createCarrierClient(name, {
      baseUrl: services.get(name)!.url,
      apiKey: 'wrong',
      timeoutMs: 2000,
    });
    const error = await bad.quote(parcel()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierError', status: 401, retryable: false, carrier: name });
  });

  it('rejects an oversize parcel with a field-named, non-retryable error', async () => {
    const error = await client()
      .quote(parcel({ weightKg: 120 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierError);
    expect((error as CarrierError).retryable).toBe(false);
    expect((error as CarrierError).message).toMatch(/weight/);
  });

  it('reports a timeout as a retryable CarrierError', async () => {
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const url = services.get(name)!.url;
    await fetch(`${url}/admin/faults`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ faults: [{ kind: 'timeout', hangMs: 2000 }] }),
    });
    try {
      const fast = createCarrierClient(name, { baseUrl: url, apiKey: API_KEY, timeoutMs: 100 });
      const error = await fast.quote(parcel()).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'CarrierError', retryable: true, status: undefined });
    } finally {
      await fetch(`${url}/admin/faults`, {
        method: 'DELETE',
        headers: { authorization: admin.authorization },
      });
    }
  });
});

describe('steppe grams validation', () => {
  const url = () => services.get('steppe')!.url;
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const body = (weight: unknown) => ({
    from_location: { postal_code: '100000' },
    to_location: { postal_code: '900000' },
    packages: [{ weight }],
  });

  it.each([1.25, 2, 60_000, '1500'])(
    'rejects weight %s with 400 naming packages[0].weight',
    async (weight) => {
      const response = await fetch(`${url()}/v2/calculator/tarifflist`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body(weight)),
      });
      expect(response.status).toBe(400);
      const json = (await response.json()) as {
        requests: { state: string; errors: { field: string; code: string }[] }[];
      };
      expect(json.requests[0]!.state).toBe('INVALID');
      expect(json.requests[0]!.errors[0]!.field).toBe('packages[0].weight');
    },
  );

  it('accepts integer grams', async () => {
    const response = await fetch(`${url()}/v2/calculator/tarifflist`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body(1250)),
    });
    expect(response.status).toBe(200);
  });

  it('the unit-mismatch client (same code, kilograms strategy) is refused, naming the field', async () => {
    const buggy = createCarrierClient('steppe', { baseUrl: url(), apiKey: API_KEY, weightUnitBug: true });
    const error = await buggy.quote(parcel({ weightKg: 1.25 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierError', status: 400, retryable: false });
    expect((error as Error).message).toContain('packages[0].weight');
    const healthy = createCarrierClient('steppe', { baseUrl: url(), apiKey: API_KEY });
    await expect(healthy.quote(parcel({ weightKg: 1.25 }))).resolves.toHaveLength(3);
  });
});

describe('rate shopping matters', () => {
  it('steppe economy is the cheapest and slowest to the north-west', async () => {
    const nw = parcel({ toPostcode: '910000' });
    const byCarrier = await Promise.all(
      CARRIERS.map((name) =>
        createCarrierClient(name, { baseUrl: services.get(name)!.url, apiKey: API_KEY }).quote(nw),
      ),
    );
    const economy = byCarrier.map((quotes) => quotes.find((q) => q.serviceLevel === 'economy')!);
    const steppe = economy.find((q) => q.carrier === 'steppe')!;
    for (const other of economy.filter((q) => q.carrier !== 'steppe')) {
      expect(steppe.price).toBeLessThan(other.price);
      expect(steppe.transitDays).toBeGreaterThan(other.transitDays);
    }
  });
});

describe('faults, provider states and metrics on carriers', () => {
  const admin = (name: CarrierName, method: string, path: string, body?: unknown) =>
    fetch(`${services.get(name)!.url}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('a region-scoped fault in a virtual-time window hits only that region, only in the window', async () => {
    const client = createCarrierClient('labelfast', {
      baseUrl: services.get('labelfast')!.url,
      apiKey: API_KEY,
    });
    const from = new Date(clock.now() + 3_600_000).toISOString();
    const until = new Date(clock.now() + 7_200_000).toISOString();
    const put = await admin('labelfast', 'PUT', '/faults', {
      faults: [{ kind: 'outage', status: 503, regions: ['NW'], from, until }],
    });
    expect(put.status).toBe(200);
    try {
      await expect(client.quote(parcel({ toPostcode: '910000' }))).resolves.toHaveLength(3);
      clock.advance(3_600_000);
      await expect(client.quote(parcel({ toPostcode: '910000' }))).rejects.toMatchObject({
        status: 503,
        retryable: true,
      });
      await expect(client.quote(parcel({ toPostcode: '410000' }))).resolves.toHaveLength(3);
      clock.advance(3_600_000);
      await expect(client.quote(parcel({ toPostcode: '910000' }))).resolves.toHaveLength(3);
    } finally {
      expect((await admin('labelfast', 'DELETE', '/faults')).status).toBe(200);
    }
  });

  it('an added-latency fault slows answers down and goes away when removed', async () => {
    const client = createCarrierClient('steppe', { baseUrl: services.get('steppe')!.url, apiKey: API_KEY });
    await admin('steppe', 'PUT', '/faults', {
      faults: [{ kind: 'latency', addMs: 300, operations: ['quote'] }],
    });
    const started = Date.now();
    await client.quote(parcel());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const metric = async () => {
      const text = await (await fetch(`${services.get('steppe')!.url}/metrics`)).text();
      return Number(
        /sandbox_service_faults_applied_total\{operation="quote",kind="latency"[^}]*\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    };
    expect(await metric()).toBe(1);
    await admin('steppe', 'DELETE', '/faults');
    expect(await (await admin('steppe', 'GET', '/faults')).json()).toEqual({ faults: [] });
    await client.quote(parcel());
    // No fault applied any more (a timing bound would be flaky on a loaded machine).
    expect(await metric()).toBe(1);
  });

  it('a connection-reset outage surfaces as a retryable transport error', async () => {
    const client = createCarrierClient('parcelly', {
      baseUrl: services.get('parcelly')!.url,
      apiKey: API_KEY,
      timeoutMs: 2000,
    });
    await admin('parcelly', 'PUT', '/faults', { faults: [{ kind: 'outage', mode: 'reset' }] });
    try {
      await expect(client.quote(parcel())).rejects.toMatchObject({
        name: 'CarrierError',
        retryable: true,
        status: undefined,
      });
    } finally {
      await admin('parcelly', 'DELETE', '/faults');
    }
  });

  it.each([
    ['parcelly', 'shp_0123456789abcdef', 'PC00000000000001'],
    ['labelfast', 'se-0123456789', '1LFTESTTRACKING1'],
    ['steppe', '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b', '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b'],
  ] as const)(
    'provider state "shipment exists" lets %s track and cancel a known shipment',
    async (name, shipmentId, trackingNumber) => {
      const client = createCarrierClient(name, { baseUrl: services.get(name)!.url, apiKey: API_KEY });
      const delivered = await admin(name, 'POST', '/provider-state', {
        state: `shipment ${shipmentId} is delivered`,
        params: { trackingNumber },
      });
      expect(delivered.status).toBe(200);
      expect(await client.track({ shipmentId, trackingNumber })).toMatchObject({
        status: 'delivered',
        trackingNumber,
      });
      await admin(name, 'POST', '/provider-state', {
        state: 'shipment exists',
        params: { shipmentId, trackingNumber, stage: 'created' },
      });
      await expect(client.cancel({ shipmentId, trackingNumber })).resolves.toBeUndefined();
    },
  );

  it('provider state "carrier rejects oversize parcels" lowers the weight limit', async () => {
    const client = createCarrierClient('parcelly', {
      baseUrl: services.get('parcelly')!.url,
      apiKey: API_KEY,
    });
    await admin('parcelly', 'POST', '/provider-state', {
      state: 'carrier rejects oversize parcels',
      params: { maxWeightKg: 1 },
    });
    await expect(client.quote(parcel({ weightKg: 2 }))).rejects.toMatchObject({
      status: 422,
      retryable: false,
    });
    await admin('parcelly', 'POST', '/provider-state', {
      state: 'carrier rejects oversize parcels',
      action: 'teardown',
    });
    await expect(client.quote(parcel({ weightKg: 2 }))).resolves.toHaveLength(3);
  });

  it.each(CARRIERS)('%s /metrics passes promtool and labels every sample with the version', async (name) => {
    const text = await (await fetch(`${services.get(name)!.url}/metrics`)).text();
    const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(3);
    for (const line of samples) expect(line).toMatch(/\{[^}]*version="stable"[^}]*\} /);
    expect(text).toContain(`sandbox_carrier_shipments_total{carrier="${name}"`);
    const lint = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(lint.exitCode, `${lint.stdout}\n${lint.stderr}`).toBe(0);
  });
});
