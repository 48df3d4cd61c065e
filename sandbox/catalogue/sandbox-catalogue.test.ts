import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierClient } from '../../contracts/carriers/index.ts';
import type { CarrierName, ParcelRequest } from '../../contracts/domain/shipping.ts';
import { skuCatalogue } from '../../contracts/inventory/catalogue.ts';
import { manualClock } from '../admin/manual-clock.ts';
import { type RunningService, startCarrier } from '../carriers/start.ts';
import { formatCatalogue, sandboxCatalogue } from './sandbox-catalogue.ts';

/**
 * The catalogue must tell the truth about the running sandbox: each listed region's
 * postcodes are quoted by each carrier that lists it, a postcode outside is quoted by
 * none, and each carrier's weight limit is where its quotes stop.
 */
const catalogue = sandboxCatalogue();
const clock = manualClock();
const API_KEY = 'catalogue-carrier-key';
const services = new Map<string, RunningService>();

beforeAll(async () => {
  for (const c of catalogue.carriers)
    services.set(
      c.name,
      await startCarrier(c.name as CarrierName, {
        clock,
        apiKey: API_KEY,
        adminToken: 'catalogue-admin',
        latency: { minMs: 0, maxMs: 0 },
      }),
    );
});
afterAll(async () => {
  await Promise.all([...services.values()].map((s) => s.close()));
});

const parcel = (toPostcode: string, weightKg = 1): ParcelRequest => ({
  orderId: 'ord-catalogue',
  weightKg,
  serviceLevel: 'standard',
  fromPostcode: '100000',
  toPostcode,
  recipient: {
    name: 'A',
    phone: '+4915112345678',
    email: 'a@example.com',
    line1: '1 Main St',
    city: 'X',
    country: 'DE',
  },
  shipDate: new Date(clock.now() + 3_600_000).toISOString(),
});

const quotes = async (carrier: string, request: ParcelRequest) => {
  const client = createCarrierClient(carrier as CarrierName, {
    baseUrl: services.get(carrier)!.url,
    apiKey: API_KEY,
  });
  return client.quote(request).catch(() => []);
};

describe('sandbox catalogue', () => {
  it('lists the SKUs the inventory stocks, with their weights', () => {
    const stocked = skuCatalogue();
    expect(catalogue.skus.map((s) => s.sku)).toEqual(stocked.map((s) => s.sku));
    expect(catalogue.skus.map((s) => s.weightKg)).toEqual(stocked.map((s) => s.weightKg));
    expect(catalogue.skus.length).toBe(200);
  });

  it('every listed region is served by every carrier that lists it; a postcode outside by none', async () => {
    expect(catalogue.serviceArea.regions.length).toBe(9);
    for (const c of catalogue.carriers) {
      for (const r of catalogue.serviceArea.regions) {
        const postcode = r.postcodes.replace(/x/g, '4');
        const served = (await quotes(c.name, parcel(postcode))).length > 0;
        expect(served, `${c.name} → ${postcode} (${r.region})`).toBe(c.regions.includes(r.region));
      }
      expect(await quotes(c.name, parcel('012345')), `${c.name} → 012345`).toEqual([]);
    }
  });

  it('each carrier quotes up to its listed weight limit and not beyond', async () => {
    for (const c of catalogue.carriers) {
      expect((await quotes(c.name, parcel('200000', c.maxWeightKg - 0.01))).length, c.name).toBeGreaterThan(
        0,
      );
      expect(await quotes(c.name, parcel('200000', c.maxWeightKg + 0.5)), c.name).toEqual([]);
    }
  });

  it('as text: the service area, each carrier, and one line per SKU', () => {
    const text = formatCatalogue(catalogue);
    expect(text).toMatch(/^ {2}1xxxxx {2}region C /m);
    expect(text).toContain('0xxxxx');
    for (const c of catalogue.carriers) expect(text).toContain(`parcels up to ${c.maxWeightKg} kg`);
    for (const s of catalogue.skus.slice(0, 5))
      expect(text).toMatch(new RegExp(`^  ${s.sku} .* ${s.weightKg} kg`, 'm'));
    expect(text.split('\n').filter((l) => /^ {2}[A-Z]{2,3}-\d{4} /.test(l)).length).toBe(200);
  });
});
