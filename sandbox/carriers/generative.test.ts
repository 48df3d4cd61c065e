import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierError } from '../../contracts/carriers/client.ts';
import { createCarrierClient } from '../../contracts/carriers/index.ts';
import { CARRIERS, type CarrierName, type ParcelRequest } from '../../contracts/domain/shipping.ts';
import { manualClock } from '../admin/manual-clock.ts';
import { type RunningService, startCarrier } from './start.ts';

/**
 * Any parcel the platform can describe goes through every carrier's client and back:
 * either a well-formed answer, or a CarrierError for a 4xx that names the problem.
 * Never a 5xx, never an answer that breaks the carrier's own contract.
 */
const clock = manualClock();
const services = new Map<CarrierName, RunningService>();

beforeAll(async () => {
  for (const name of CARRIERS) {
    services.set(
      name,
      await startCarrier(name, { clock, apiKey: 'k', adminToken: 'a', latency: { minMs: 0, maxMs: 0 } }),
    );
  }
});
afterAll(() => Promise.all([...services.values()].map((s) => s.close())));

const text = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const parcels: fc.Arbitrary<ParcelRequest> = fc.record({
  orderId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/),
  weightKg: fc.oneof(
    fc.double({ min: 0.001, max: 2, noNaN: true }),
    fc.double({ min: 2, max: 80, noNaN: true }),
    fc.double({ min: 80, max: 1_000_000, noNaN: true }),
  ),
  serviceLevel: fc.constantFrom('express', 'standard', 'economy'),
  fromPostcode: fc.constantFrom('100000', '900000'),
  toPostcode: fc.stringMatching(/^[1-9][0-9]{5}$/),
  recipient: fc.record({
    name: text(200),
    phone: fc.stringMatching(/^\+[1-9][0-9]{6,14}$/),
    email: fc.emailAddress().filter((e) => e.length <= 254),
    line1: text(200),
    city: text(100),
    country: fc.stringMatching(/^[A-Z]{2}$/),
  }),
  shipDate: fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
});

describe.each(CARRIERS)('%s with generated parcels', (name) => {
  it('answers within its contract or refuses with a 4xx', async () => {
    const client = createCarrierClient(name, {
      baseUrl: services.get(name)!.url,
      apiKey: 'k',
      timeoutMs: 5000,
    });
    let shipped = 0;
    await fc.assert(
      fc.asyncProperty(parcels, async (parcel) => {
        try {
          const quotes = await client.quote(parcel);
          expect(quotes.length).toBeGreaterThan(0);
          const shipment = await client.createShipment(parcel, quotes[0]!);
          const tracking = await client.track(shipment);
          expect(tracking.trackingNumber).toBe(shipment.trackingNumber);
          shipped++;
        } catch (error) {
          if (!(error instanceof CarrierError)) throw error;
          expect(error.message).not.toMatch(/does not match/);
          expect(error.status).toBeGreaterThanOrEqual(400);
          expect(error.status).toBeLessThan(500);
          expect(error.retryable).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
    // The generator is not so hostile that nothing ships: the happy path is exercised too.
    expect(shipped).toBeGreaterThan(15);
  });
});
