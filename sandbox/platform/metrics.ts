import { Counter, Histogram, Registry } from 'prom-client';
import { VERSION_LABEL } from '../../canary/metrics/names.ts';
import { CALL_BUCKETS, PROCESSING_BUCKETS, SERIES } from '../../canary/metrics/presets/builtin.ts';

/**
 * The platform's series, named by the metric catalogue. Each platform instance has
 * its own registry with `version` as a default label, so stable and canary in one
 * process (tests, in-process sandbox) never mix their series.
 */
export function createPlatformMetrics(version: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ [VERSION_LABEL]: version });
  const registers = [registry];
  return {
    registry,
    ordersReceived: new Counter({
      name: SERIES.ordersReceived,
      help: 'Orders accepted at intake',
      registers,
    }),
    ordersProcessed: new Counter({
      name: SERIES.ordersProcessed,
      help: 'Orders whose processing ended, by outcome',
      labelNames: ['outcome', 'region'] as const,
      registers,
    }),
    processingSeconds: new Histogram({
      name: SERIES.processingSeconds,
      help: 'Order processing time from acceptance to shipment (or rejection), real seconds',
      buckets: [...PROCESSING_BUCKETS],
      registers,
    }),
    cutoffMissed: new Counter({
      name: SERIES.cutoffMissed,
      help: 'Orders that arrived before a warehouse cutoff but were ready only after it',
      labelNames: ['region'] as const,
      registers,
    }),
    etaPastPromise: new Counter({
      name: SERIES.etaPastPromise,
      help: "Shipped orders whose carrier's predicted delivery is later than the promise",
      labelNames: ['region', 'carrier'] as const,
      registers,
    }),
    deliveries: new Counter({
      name: SERIES.deliveries,
      help: 'Delivered orders, by whether they arrived by the promised time',
      labelNames: ['on_time', 'carrier', 'region'] as const,
      registers,
    }),
    carrierRequests: new Counter({
      name: SERIES.carrierRequests,
      help: 'Calls to carrier APIs by carrier, operation and outcome',
      labelNames: ['carrier', 'operation', 'outcome'] as const,
      registers,
    }),
    carrierRequestSeconds: new Histogram({
      name: SERIES.carrierRequestSeconds,
      help: 'Carrier API call time, real seconds',
      labelNames: ['carrier', 'operation'] as const,
      buckets: [...CALL_BUCKETS],
      registers,
    }),
    inventoryRequests: new Counter({
      name: SERIES.inventoryRequests,
      help: 'Calls to the inventory service by operation and outcome',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    inventoryRequestSeconds: new Histogram({
      name: SERIES.inventoryRequestSeconds,
      help: 'Inventory service call time, real seconds',
      labelNames: ['operation'] as const,
      buckets: [...CALL_BUCKETS],
      registers,
    }),
  };
}

export type PlatformMetrics = ReturnType<typeof createPlatformMetrics>;
