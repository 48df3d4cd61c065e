import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { CarrierClient } from '../../contracts/carriers/client.ts';
import type { Reservation } from '../../contracts/domain/inventory.ts';
import type { ParcelRequest, RateQuote } from '../../contracts/domain/shipping.ts';
import type { InventoryClient } from '../../contracts/inventory/client.ts';
import { sampleOrder } from '../../scenarios/traffic/test-orders.ts';
import { type ManualClock, manualClock } from '../admin/manual-clock.ts';
import { createPlatformMetrics } from './metrics.ts';
import { processOrder } from './pipeline.ts';
import { OrderStore } from './store.ts';

const MINUTE = 60_000;

/** A carrier quoting one service; its quotes take `quoteVirtualMs` of the platform's clock. */
function carrier(
  name: 'parcelly' | 'labelfast',
  clock: ManualClock,
  quote: Pick<RateQuote, 'price' | 'transitDays'>,
  slow: { quoteVirtualMs: number },
  seen: ParcelRequest[],
): CarrierClient {
  return {
    carrier: name,
    async quote(parcel) {
      seen.push(parcel);
      clock.advance(slow.quoteVirtualMs);
      return [
        {
          carrier: name,
          service: `${name}-std`,
          serviceLevel: 'standard',
          quoteRef: `${name}-q`,
          currency: 'EUR',
          ...quote,
        },
      ];
    },
    async createShipment(_parcel, q) {
      return {
        carrier: name,
        service: q.service,
        shipmentId: `${name}-s`,
        trackingNumber: 'T1',
        price: q.price,
        currency: 'EUR',
      };
    },
    async cancel() {},
    async track() {
      throw new Error('not tracked in this test');
    },
  };
}

const inventory: InventoryClient = {
  availability: async () => [],
  reserve: async (request) =>
    ({
      reservationId: `r-${request.orderId}`,
      idempotencyKey: request.idempotencyKey,
      orderId: request.orderId,
      warehouse: 'WH-C',
      lines: request.lines,
      status: 'held',
      expiresAt: '2030-01-01T00:00:00.000Z',
    }) as Reservation,
  commit: async (id) => ({ reservationId: id }) as Reservation,
  release: async (id) => ({ reservationId: id }) as Reservation,
};

/**
 * One build of the platform processing one order on a host busy enough that the job
 * starts `startVirtualMs` after acceptance (a timer firing late: at 1440×, one real
 * second is 24 virtual minutes) and each carrier quote takes `quoteVirtualMs`.
 */
async function processOnce(startVirtualMs: number, quoteVirtualMs = 0) {
  const clock = manualClock('2026-11-23T15:50:00.000Z');
  const seen: ParcelRequest[] = [];
  const slow = { quoteVirtualMs };
  const store = new OrderStore();
  // Placed ten minutes before the 16:00 cutoff, promised for the day after tomorrow.
  const order = sampleOrder('o-cutoff', {
    createdAt: '2026-11-23T15:50:00.000Z',
    promisedBy: '2026-11-25T20:00:00.000Z',
  });
  const acceptedAt = clock.now();
  store.accept(order, 'stable', new Date(acceptedAt).toISOString());
  clock.advance(startVirtualMs);
  await processOrder(order, acceptedAt, ROOT_CONTEXT, {
    version: 'stable',
    clock,
    inventory,
    // The cheap carrier takes 2 days: on time only if the parcel leaves today.
    carriers: [
      carrier('parcelly', clock, { price: 5, transitDays: 2 }, slow, seen),
      carrier('labelfast', clock, { price: 9, transitDays: 1 }, slow, seen),
    ],
    metrics: createPlatformMetrics('stable'),
    store,
    tracker: { watch: () => {}, checkDue: async () => 0, pending: () => 0, stop: async () => {} },
    tracer: trace.getTracer('test'),
    defect: 'none',
    random: () => 0.5,
    sleep: async () => {},
    inFlight: () => 1,
  });
  return { state: store.get(order.id)!, shipDates: seen.map((p) => p.shipDate) };
}

describe('order pipeline decisions', () => {
  it('the same order gets the same carrier, dispatch and promise however slowly the host processes it', async () => {
    const quick = await processOnce(0);
    // The job starts 15 virtual minutes late and quotes take 10 more: the cutoff passes meanwhile.
    const busy = await processOnce(15 * MINUTE, 10 * MINUTE);
    expect(quick.state).toMatchObject({
      outcome: 'shipped',
      carrier: 'parcelly',
      dispatchAt: '2026-11-23T16:00:00.000Z',
      predictedDeliveryAt: '2026-11-25T16:00:00.000Z',
      cutoffMissed: false,
    });
    const decision = (s: typeof quick.state) => ({
      carrier: s.carrier,
      service: s.service,
      price: s.price,
      dispatchAt: s.dispatchAt,
      predictedDeliveryAt: s.predictedDeliveryAt,
      cutoffMissed: s.cutoffMissed,
    });
    expect(decision(busy.state)).toEqual(decision(quick.state));
    expect(busy.shipDates).toEqual(quick.shipDates);
  });

  it('decides a stale order (createdAt more than a day before acceptance) at its acceptance', async () => {
    const { decisionTime } = await import('./dispatch.ts');
    const accepted = Date.parse('2026-11-23T10:00:00.000Z');
    expect(decisionTime('2026-11-23T09:59:00.000Z', accepted)).toBe(Date.parse('2026-11-23T09:59:00.000Z'));
    expect(decisionTime('2026-11-25T09:00:00.000Z', accepted)).toBe(Date.parse('2026-11-25T09:00:00.000Z'));
    expect(decisionTime('2025-11-23T09:59:00.000Z', accepted)).toBe(accepted);
    expect(decisionTime('not a date', accepted)).toBe(accepted);
  });
});
