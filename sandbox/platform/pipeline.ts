import { type Context, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { CarrierClient } from '../../contracts/carriers/client.ts';
import type { Warehouse } from '../../contracts/domain/inventory.ts';
import { type Order, orderWeightKg, type Region } from '../../contracts/domain/order.ts';
import type { ParcelRequest, Shipment } from '../../contracts/domain/shipping.ts';
import { type InventoryClient, InventoryError } from '../../contracts/inventory/client.ts';
import type { Outcome } from '../../contracts/platform/api.ts';
import type { VirtualClock } from '../clock/clock.ts';
import { DEFECT_PARAMS, type DefectName } from './defects.ts';
import { cutoffMissed, decisionTime, nextCutoff } from './dispatch.ts';
import { carrierRecorder, instrumented, inventoryRecorder } from './instrument.ts';
import type { PlatformMetrics } from './metrics.ts';
import { rankOptions, rateOptions } from './rate-shopping.ts';
import type { OrderStore } from './store.ts';
import type { Tracker } from './tracker.ts';

/**
 * The platform's order pipeline: inventory reservation → rate shopping → shipment at
 * the chosen carrier (failing over to the next option) → dispatch at the warehouse
 * cutoff → tracking until delivered. One call processes one accepted order.
 */
export interface PipelineDeps {
  version: string;
  clock: VirtualClock;
  inventory: InventoryClient;
  carriers: CarrierClient[];
  metrics: PlatformMetrics;
  store: OrderStore;
  tracker: Tracker;
  tracer: Tracer;
  defect: DefectName;
  /** Uniform [0, 1); seeded, so defect behaviour is reproducible. */
  random: () => number;
  /** Real-time delay; injectable so tests of the latency defect need not sleep. */
  sleep: (ms: number) => Promise<void>;
  /** Orders being processed right now (the latency defect's contention grows with it). */
  inFlight: () => number;
}

export const WAREHOUSE_POSTCODES: Record<Warehouse, string> = { 'WH-C': '100000', 'WH-NW': '900000' };
const NORTHERN: Region[] = ['NW', 'N', 'W'];
/**
 * Stock is held for 2 virtual hours, or 30 real seconds if longer (at extreme clock
 * speeds 2 virtual hours pass within one order's processing), at most the inventory's
 * limit of 7 days.
 */
const holdSeconds = (speed: number) => Math.min(7 * 86_400, Math.max(2 * 3600, 30 * speed));
const MAX_SHIPMENT_ATTEMPTS = 3;

export async function processOrder(
  order: Order,
  acceptedAtMs: number,
  parent: Context,
  deps: PipelineDeps,
): Promise<void> {
  const { tracer, metrics, store, clock } = deps;
  const started = performance.now();
  const attributes = {
    'order.id': order.id,
    'order.region': order.destination.region,
    'platform.version': deps.version,
  };
  await tracer.startActiveSpan('order.process', { attributes }, parent, async (span) => {
    const finish = (outcome: Outcome, patch: Parameters<OrderStore['update']>[1]) => {
      const seconds = (performance.now() - started) / 1000;
      metrics.ordersProcessed.inc({ outcome, region: order.destination.region });
      metrics.processingSeconds.observe(seconds);
      store.update(order.id, {
        outcome,
        processedAt: clock.nowIso(),
        processingMs: seconds * 1000,
        ...patch,
      });
      span.setAttribute('order.outcome', outcome);
      if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
    };
    try {
      // Decided at the order's own time (dispatch.ts: decisionTime), so how busy the host
      // is cannot change a decision. The latency defect's delay is the platform's own
      // slowness: it is slept (latency metrics) and also moves the decision that much later.
      const placedAt = decisionTime(order.createdAt, acceptedAtMs);
      const defectDelayMs = deps.defect === 'latency-under-load' ? contentionDelayMs(deps) : 0;
      if (defectDelayMs > 0) await deps.sleep(defectDelayMs);
      const result = await shipOrder(order, placedAt + clock.toVirtualMs(defectDelayMs), deps);
      if (result.outcome !== 'shipped') {
        finish(result.outcome, { status: 'rejected', reason: result.reason });
        return;
      }
      const missed = cutoffMissed(placedAt, result.dispatchAt);
      const predictedDeliveryAt = result.dispatchAt + result.transitMs;
      const lateByPromise = predictedDeliveryAt > Date.parse(order.promisedBy);
      if (missed) metrics.cutoffMissed.inc({ region: order.destination.region });
      if (lateByPromise)
        metrics.etaPastPromise.inc({ region: order.destination.region, carrier: result.shipment.carrier });
      finish('shipped', {
        status: 'shipped',
        warehouse: result.warehouse,
        carrier: result.shipment.carrier,
        service: result.shipment.service,
        shipmentId: result.shipment.shipmentId,
        trackingNumber: result.shipment.trackingNumber,
        price: result.shipment.price,
        cutoffMissed: missed,
        dispatchAt: new Date(result.dispatchAt).toISOString(),
        predictedDeliveryAt: new Date(predictedDeliveryAt).toISOString(),
      });
      deps.tracker.watch({ orderId: order.id, shipment: result.shipment, firstCheckAt: predictedDeliveryAt });
    } catch (error) {
      span.recordException(error as Error);
      finish('error', { status: 'failed', reason: (error as Error).message });
    } finally {
      span.end();
    }
  });
}

type ShipResult =
  | { outcome: 'out_of_stock' | 'no_carrier'; reason: string }
  | {
      outcome: 'shipped';
      warehouse: Warehouse;
      shipment: Shipment;
      /**
       * The cutoff the parcel leaves at: the first after the decision time, which is the
       * date on the label (some carriers fix it at quote time), so carrier and platform agree.
       */
      dispatchAt: number;
      transitMs: number;
    };

async function shipOrder(order: Order, decidedAt: number, deps: PipelineDeps): Promise<ShipResult> {
  const { tracer, metrics, clock } = deps;
  const region = order.destination.region;
  let reservation: Awaited<ReturnType<InventoryClient['reserve']>>;
  try {
    reservation = await instrumented(
      tracer,
      { name: 'inventory.reserve', attributes: { 'order.id': order.id } },
      inventoryRecorder(metrics, 'reserve'),
      (options) =>
        deps.inventory.reserve(
          {
            orderId: order.id,
            idempotencyKey: `order:${order.id}`,
            lines: order.items.map(({ sku, qty }) => ({ sku, qty })),
            ttlSeconds: holdSeconds(clock.speed),
            preferWarehouse: NORTHERN.includes(region) ? 'WH-NW' : 'WH-C',
          },
          options,
        ),
    );
  } catch (error) {
    if (error instanceof InventoryError && error.outOfStock)
      return { outcome: 'out_of_stock', reason: error.message };
    throw error;
  }

  const release = () =>
    instrumented(
      tracer,
      { name: 'inventory.release', attributes: { 'order.id': order.id } },
      inventoryRecorder(metrics, 'release'),
      (options) => deps.inventory.release(reservation.reservationId, options),
    ).catch(() => undefined); // an unreleased hold expires by itself; the order's outcome stands

  const parcel: ParcelRequest = {
    orderId: order.id,
    weightKg: orderWeightKg(order),
    serviceLevel: order.serviceLevel,
    fromPostcode: WAREHOUSE_POSTCODES[reservation.warehouse],
    toPostcode: order.destination.postcode,
    recipient: {
      name: order.customer.name,
      phone: order.customer.phone,
      email: order.customer.email,
      line1: order.customer.address.line1,
      city: order.customer.address.city,
      country: order.customer.address.country,
    },
    shipDate: new Date(nextCutoff(decidedAt)).toISOString(),
  };

  const quoted = await Promise.allSettled(
    deps.carriers.map((carrier) =>
      instrumented(
        tracer,
        { name: 'carrier.quote', attributes: { 'order.id': order.id, carrier: carrier.carrier } },
        carrierRecorder(metrics, carrier.carrier, 'quote'),
        (options) => carrier.quote(parcel, options),
      ),
    ),
  );
  const quotes = quoted.flatMap((q) => (q.status === 'fulfilled' ? q.value : []));
  const dispatchAt = Date.parse(parcel.shipDate);
  const policy =
    deps.defect === 'wrong-carrier' && region === DEFECT_PARAMS.wrongCarrier.region
      ? 'cheapest'
      : 'keep-promise';
  const ranked = rankOptions(rateOptions(quotes, dispatchAt, Date.parse(order.promisedBy)), policy);

  const failures: string[] = [];
  for (const option of ranked.slice(0, MAX_SHIPMENT_ATTEMPTS)) {
    const carrier = deps.carriers.find((c) => c.carrier === option.quote.carrier)!;
    let shipment: Shipment;
    try {
      shipment = await instrumented(
        tracer,
        { name: 'carrier.create_shipment', attributes: { 'order.id': order.id, carrier: carrier.carrier } },
        carrierRecorder(metrics, carrier.carrier, 'create_shipment'),
        (options) => carrier.createShipment(parcel, option.quote, options),
      );
    } catch (error) {
      failures.push((error as Error).message);
      continue; // fail over to the next-best option
    }
    try {
      await instrumented(
        tracer,
        { name: 'inventory.commit', attributes: { 'order.id': order.id } },
        inventoryRecorder(metrics, 'commit'),
        (options) => deps.inventory.commit(reservation.reservationId, options),
      );
    } catch (error) {
      // Stock could not be taken: a parcel must not leave without it. Void the label.
      await instrumented(
        tracer,
        { name: 'carrier.cancel', attributes: { 'order.id': order.id, carrier: carrier.carrier } },
        carrierRecorder(metrics, carrier.carrier, 'cancel'),
        (options) => carrier.cancel(shipment, options),
      ).catch(() => undefined);
      throw error;
    }
    return {
      outcome: 'shipped',
      warehouse: reservation.warehouse,
      shipment,
      dispatchAt,
      transitMs: option.predictedDeliveryAt - dispatchAt,
    };
  }
  await release();
  const reason =
    quotes.length === 0
      ? `no carrier quoted (${quoted.map((q) => (q.status === 'rejected' ? (q.reason as Error).message : 'no rates')).join('; ')})`
      : `every shipment attempt failed: ${failures.join('; ')}`;
  return { outcome: 'no_carrier', reason };
}

/**
 * The latency defect: a lock held per order, log-normally distributed, growing with
 * the orders already queued for it (Box–Muller on the seeded PRNG).
 */
function contentionDelayMs(deps: PipelineDeps): number {
  const p = DEFECT_PARAMS.latencyUnderLoad;
  const u1 = Math.max(deps.random(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * deps.random());
  const base = p.medianMs * Math.exp(p.sigma * normal);
  return Math.min(p.capMs, base * (1 + p.perInFlight * Math.max(0, deps.inFlight() - 1)));
}
