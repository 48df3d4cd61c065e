import type { MetricDecl } from '../catalogue.ts';
import type { MetricDefinition } from '../definition.ts';
import { toMetricDecl } from '../from-definition.ts';

/**
 * The built-in preset (`canary.metrics: 'builtin'`, the default): the metrics of a
 * platform exposing the series below, labelled `version` — the embedded sandbox does, a
 * platform of yours may. Written in the config's own definition form, so it is one
 * example of what a user writes, and the one place the sandbox's series names live.
 */
export const SERIES = {
  ordersReceived: 'logistics_orders_received_total',
  ordersProcessed: 'logistics_orders_processed_total',
  processingSeconds: 'logistics_order_processing_seconds',
  cutoffMissed: 'logistics_dispatch_cutoff_missed_total',
  etaPastPromise: 'logistics_eta_past_promise_total',
  deliveries: 'logistics_deliveries_total',
  carrierRequests: 'logistics_carrier_requests_total',
  carrierRequestSeconds: 'logistics_carrier_request_seconds',
  inventoryRequests: 'logistics_inventory_requests_total',
  inventoryRequestSeconds: 'logistics_inventory_request_seconds',
  routerRequests: 'logistics_router_requests_total',
  routerCanaryWeight: 'logistics_router_canary_weight',
} as const;

/** The sandbox router's own canary weight (percent), for the dashboard's rollout panels. */
export const BUILTIN_ROUTER_WEIGHT_QUERY = `max(${SERIES.routerCanaryWeight})`;

/**
 * Processing-latency buckets in seconds. The latency SLO must be one of them, so
 * "orders slower than the SLO" is an exact count from the histogram, not an estimate.
 */
export const PROCESSING_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30] as const;
export const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Default latency SLO: an order fully processed (reserved, rated, shipment bought) within 1 s. */
export const LATENCY_SLO_SECONDS = 1;
if (!PROCESSING_BUCKETS.includes(LATENCY_SLO_SECONDS as (typeof PROCESSING_BUCKETS)[number])) {
  throw new Error('the latency SLO must be a histogram bucket boundary');
}

const shipped = { series: SERIES.ordersProcessed, matchers: { outcome: 'shipped' } };

export const BUILTIN_DEFINITIONS = [
  {
    id: 'on_time_rate',
    title: 'On-time delivery rate',
    description: 'Share of delivered orders that arrived by their promised date.',
    kind: 'events',
    bad: { series: SERIES.deliveries, matchers: { on_time: 'false' } },
    total: { series: SERIES.deliveries },
    reportAs: 'good-ratio',
    indicator: 'lagging',
    direction: 'lower-is-worse',
    slo: { op: '>=', value: 0.95 },
  },
  {
    id: 'processing_over_slo',
    title: 'Orders slower than the processing SLO',
    description: `Share of orders whose processing took longer than ${LATENCY_SLO_SECONDS}s.`,
    kind: 'latency',
    histogram: SERIES.processingSeconds,
    unit: 'seconds',
    sloBucket: LATENCY_SLO_SECONDS,
    indicator: 'leading',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'eta_past_promise',
    title: 'Predicted ETA past promise',
    description: 'Share of shipped orders whose carrier ETA is later than the delivery promise.',
    kind: 'events',
    bad: { series: SERIES.etaPastPromise },
    total: shipped,
    indicator: 'leading',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'cutoff_missed',
    title: 'Dispatch cutoff misses',
    description: 'Share of shipped orders that missed the warehouse cutoff they arrived in time for.',
    kind: 'events',
    bad: { series: SERIES.cutoffMissed },
    total: shipped,
    indicator: 'leading',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.02 },
  },
  {
    id: 'error_rate',
    title: 'Order processing errors',
    description: 'Share of processed orders that ended in an error (not counting out-of-stock).',
    kind: 'events',
    bad: { series: SERIES.ordersProcessed, matchers: { outcome: 'error' } },
    total: { series: SERIES.ordersProcessed },
    indicator: 'leading',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.01 },
  },
  {
    id: 'processing_p95',
    title: 'Order processing latency p95',
    description: '95th percentile of order processing time.',
    kind: 'quantile',
    histogram: SERIES.processingSeconds,
    quantile: 0.95,
    unit: 'seconds',
    indicator: 'leading',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: LATENCY_SLO_SECONDS },
  },
] as const satisfies readonly MetricDefinition[];

/** The built-in catalogue: the preset mapped like any user's definitions. */
export const CATALOGUE: readonly MetricDecl[] = BUILTIN_DEFINITIONS.map((d) => toMetricDecl(d));
