import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierClient } from '../carriers/index.ts';
import { createInventoryClient } from '../inventory/http-client.ts';
import { EXAMPLE_PARCEL, IDS } from '../pact/examples.ts';
import { runConsumerSpecs } from '../pact/run.ts';
import { sandboxStateChange } from '../verify/states.ts';
import { verifyProvider } from '../verify/verify.ts';
import { contractHandlers, type PactFile, readPacts, routeOf } from './index.ts';
import { serveHandlers } from './serve.ts';

let pactDir: string;
let pacts: PactFile[];

beforeAll(async () => {
  pactDir = mkdtempSync(join(tmpdir(), 'shipgate-msw-'));
  const run = await runConsumerSpecs({ pactDir });
  expect(run.results.filter((r) => r.status === 'fail')).toEqual([]);
  pacts = readPacts(pactDir);
}, 60_000);

afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

describe('routeOf', () => {
  it('turns ids into parameters but keeps versions and names', () => {
    expect(routeOf(`/v2/shipments/${IDS.parcellyShipment}/buy`)).toBe('/v2/shipments/:id1/buy');
    expect(routeOf('/v2/calculator/tarifflist')).toBe('/v2/calculator/tarifflist');
    expect(routeOf(`/v2/orders/${IDS.steppeOrder}`)).toBe('/v2/orders/:id1');
  });
});

describe('msw handlers derived from the pacts', () => {
  it('intercept fetch in-process with setupServer (a user’s unit test), for any ids', async () => {
    const server = setupServer(
      ...contractHandlers({ pactDir, baseUrl: 'http://steppe.test', providers: ['steppe'] }),
    );
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const response = await fetch('http://steppe.test/v2/orders/3b1f8a52-0000-4000-8000-000000000001');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { entity: { statuses: { code: string }[] } };
      expect(body.entity.statuses[0]?.code).toBe('SENT_TO_TRANSIT_CITY');
      const quote = await fetch('http://steppe.test/v2/calculator/tarifflist', {
        method: 'POST',
        body: '{}',
      });
      expect(quote.status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('serve the platform’s real clients (which call through undici, not fetch) on a loopback port', async () => {
    const served = await serveHandlers(pacts, undefined);
    try {
      for (const name of ['parcelly', 'labelfast', 'steppe'] as const) {
        const client = createCarrierClient(name, { baseUrl: served.url, apiKey: 'unit-test' });
        const quotes = await client.quote(EXAMPLE_PARCEL);
        expect(quotes.length).toBeGreaterThan(0);
        const shipment = await client.createShipment(EXAMPLE_PARCEL, quotes[0]!);
        const tracking = await client.track({
          shipmentId: shipment.shipmentId,
          trackingNumber: 'ANY-TRACKING-1',
        });
        expect(tracking.carrier).toBe(name);
        await client.cancel({ shipmentId: 'any-id-123', trackingNumber: 'ANY-TRACKING-1' });
      }
      const inventory = createInventoryClient({ baseUrl: served.url });
      expect((await inventory.availability(['PHN-0001'])).length).toBeGreaterThan(0);
      const line = { sku: 'PHN-0001', qty: 2 };
      expect(
        (await inventory.reserve({ orderId: 'o1', idempotencyKey: 'k1', lines: [line], ttlSeconds: 900 }))
          .status,
      ).toBe('held');
      const short = await inventory
        .reserve({ orderId: 'o1', idempotencyKey: 'k2', lines: [{ ...line, qty: 5 }], ttlSeconds: 900 })
        .catch((e) => e);
      expect(short.outOfStock).toBe(true);
      expect((await inventory.commit('res_12ab')).status).toBe('committed');
    } finally {
      await served.close();
    }
  });

  it('serve a provider state’s answer when asked for it (oversize parcel refused)', async () => {
    const server = setupServer(
      ...contractHandlers({
        pactDir,
        baseUrl: 'http://parcelly.test',
        providers: ['parcelly'],
        states: ['carrier rejects oversize parcels'],
      }),
    );
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const response = await fetch('http://parcelly.test/v2/shipments', { method: 'POST', body: '{}' });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'PARCEL.WEIGHT.EXCEEDED',
      );
    } finally {
      server.close();
    }
  });

  it('agree with the pacts: Pact’s verifier passes every interaction against the handlers (drift check)', async () => {
    for (const provider of ['parcelly', 'labelfast', 'steppe', 'inventory']) {
      const served = await serveHandlers(pacts, provider);
      try {
        const result = await verifyProvider(
          { provider, baseUrl: served.url, stateChange: sandboxStateChange(served.url, 'drift-check') },
          { pactDir, targets: [] },
        );
        expect(result.interactions.filter((i) => i.status === 'fail')).toEqual([]);
        expect(result.status).toBe('pass');
      } finally {
        await served.close();
      }
    }
  }, 60_000);
});
