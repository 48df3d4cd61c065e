import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../admin/manual-clock.ts';
import { createCarrierContext, LATE_LABEL_GRACE_MS, newShipmentRecord } from './context.ts';
import { DAY_MS } from './shipments.ts';

describe('carrier shipment timing', () => {
  it('a label bought minutes after its ship date still leaves at that date, so delivery does not depend on how busy the host was', () => {
    const clock = manualClock('2026-11-23T16:00:00.000Z');
    const ctx = createCarrierContext('parcelly', { clock, apiKey: 'k', seed: 1, registry: new Registry() });
    const service = ctx.spec.services[0]!;
    const lane = { from: 'C' as const, to: 'N' as const, weightKg: 2 };
    const shipDate = Date.parse('2026-11-23T16:00:00.000Z');
    const buy = (lateMs: number) => {
      clock.set(new Date(shipDate + lateMs).toISOString());
      const input = {
        id: 'shp_same',
        trackingNumber: 'T',
        service,
        lane,
        fromPostcode: '100000',
        toPostcode: '212345',
        shipDate,
      };
      return newShipmentRecord(ctx, input);
    };
    const onTime = buy(0);
    const late = buy(25 * 60_000);
    expect(late.deliverAt).toBe(onTime.deliverAt);
    expect(onTime.deliverAt).toBe(shipDate + onTime.transitDays * DAY_MS);
    // Much later than the collection, the parcel leaves when the label is bought.
    const missed = buy(LATE_LABEL_GRACE_MS + 60_000);
    expect(missed.deliverAt).toBe(shipDate + LATE_LABEL_GRACE_MS + 60_000 + missed.transitDays * DAY_MS);
  });
});
