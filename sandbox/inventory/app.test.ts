import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../admin/manual-clock.ts';
import { buildCarrierApp } from '../carriers/app.ts';
import { buildInventoryApp } from './app.ts';

const clock = manualClock();

describe('inventory app (inject)', () => {
  it('requires X-Api-Key when it has one', async () => {
    const app = await buildInventoryApp({
      clock,
      adminToken: 'a',
      apiKey: 'inv-key',
      latency: { minMs: 0, maxMs: 0 },
    });
    try {
      const without = await app.inject({ method: 'GET', url: '/v1/stock?skus=PHN-0001' });
      expect(without.statusCode).toBe(401);
      expect(without.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      const wrong = await app.inject({
        method: 'GET',
        url: '/v1/stock?skus=PHN-0001',
        headers: { 'x-api-key': 'nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await app.inject({
        method: 'GET',
        url: '/v1/stock?skus=PHN-0001,NOPE',
        headers: { 'x-api-key': 'inv-key' },
      });
      expect(right.statusCode).toBe(200);
      expect(right.json()).toMatchObject({ unknown: ['NOPE'] });
      // Health and metrics stay open for probes and scrapers.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('labels every series with the version it was given, and passes promtool', async () => {
    const app = await buildInventoryApp({
      clock,
      adminToken: 'a',
      version: 'canary',
      latency: { minMs: 0, maxMs: 0 },
    });
    try {
      await app.inject({
        method: 'POST',
        url: '/admin/provider-state',
        headers: { authorization: 'Bearer a' },
        payload: { state: 'SKU PHN-0001 has 5 in stock' },
      });
      await app.inject({
        method: 'POST',
        url: '/v1/reservations',
        payload: { orderId: 'o', idempotencyKey: 'k', lines: [{ sku: 'PHN-0001', qty: 1 }], ttlSeconds: 60 },
      });
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
      expect(samples.length).toBeGreaterThan(5);
      for (const line of samples) expect(line).toContain('version="canary"');
      expect(text).toContain(
        'sandbox_inventory_units{warehouse="WH-C",state="reserved",service="inventory",version="canary"} 1',
      );
      const lint = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
      expect(lint.exitCode, `${lint.stdout}\n${lint.stderr}`).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('carrier app (inject)', () => {
  it('answers with its baseline error rate and no fault set', async () => {
    const app = await buildCarrierApp('steppe', {
      clock,
      apiKey: 'k',
      adminToken: 'a',
      errorRate: 1,
      latency: { minMs: 0, maxMs: 0 },
    });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/v2/calculator/tarifflist',
        headers: { authorization: 'Bearer k' },
        payload: {
          from_location: { postal_code: '100000' },
          to_location: { postal_code: '200000' },
          packages: [{ weight: 500 }],
        },
      });
      expect(response.statusCode).toBe(503);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
