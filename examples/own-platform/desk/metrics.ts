import { Counter, Histogram, Registry } from 'prom-client';
import { type Parcel, stateAt } from './journey.ts';

/**
 * What a desk build tells Prometheus. Every series carries `release_track` (current or
 * next) as a default label of the build's registry. Processing time is in milliseconds.
 */
export const TRACK_LABEL = 'release_track';
export const HANDLING_BUCKETS_MS = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560] as const;
export const RESULTS = ['created', 'replayed', 'refused', 'invalid', 'failed'] as const;
export type Result = (typeof RESULTS)[number];

export interface DeskMetrics {
  registry: Registry;
  count(result: Result, handlingMs: number): void;
}

/**
 * Deliveries are counted when Prometheus scrapes: the parcels of this build whose
 * delivery time has passed on the simulated clock, each once. No timer moves parcels.
 */
export function deskMetrics(track: string, parcels: () => Iterable<Parcel>, now: () => number): DeskMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ [TRACK_LABEL]: track });
  const requests = new Counter({
    name: 'kestrel_fulfilment_requests_total',
    help: 'Fulfilment requests (PUT /fulfilment/requests/:clientRef) answered, by result',
    labelNames: ['result'],
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'kestrel_fulfilment_handling_ms',
    help: 'Time to answer a fulfilment request, real milliseconds',
    buckets: [...HANDLING_BUCKETS_MS],
    registers: [registry],
  });
  const counted = new Set<string>();
  const delivered = new Counter({
    name: 'kestrel_parcels_delivered_total',
    help: 'Parcels delivered (simulated time), by punctuality against the promised date',
    labelNames: ['punctuality'],
    registers: [registry],
    collect() {
      const at = now();
      for (const parcel of parcels()) {
        if (parcel.track !== track || counted.has(parcel.ticket)) continue;
        if (stateAt(parcel.journey, at) !== 'delivered') continue;
        counted.add(parcel.ticket);
        this.inc({ punctuality: parcel.journey.late ? 'late' : 'on_time' });
      }
    },
  });
  // Every series exists from the start: a query over them finds zeros, not nothing.
  for (const result of RESULTS) requests.inc({ result }, 0);
  for (const punctuality of ['on_time', 'late']) delivered.inc({ punctuality }, 0);
  return {
    registry,
    count(result, handlingMs) {
      requests.inc({ result });
      handling.observe(handlingMs);
    },
  };
}
