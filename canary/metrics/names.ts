/**
 * Names of the series a logistics platform exposes, as the metric catalogue reads them.
 * The sandbox platform registers exactly these; a real platform either does too or
 * maps its own names in the config (the catalogue's selectors are data).
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

/** Every series carries the platform version: `stable`, `canary`, or a build id. */
export const VERSION_LABEL = 'version';

/**
 * Processing-latency buckets in seconds. The latency SLO must be one of them, so
 * "orders slower than the SLO" is an exact count from the histogram, not an estimate.
 */
export const PROCESSING_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30] as const;
export const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/**
 * shipgate's own series (the harness about itself), read by the Grafana dashboard in
 * dashboards/ and registered by harness/telemetry/self-metrics.ts (the CLI, pushed to a
 * Pushgateway) and canary/server/metrics.ts (the gate server, scraped). Whoever exposes
 * them uses exactly these names and the label names in SHIPGATE_SERIES_SPEC:
 * - gateVerdicts  counter {layer, verdict: pass|fail|inconclusive}     one per decision
 * - gateChecks    counter {layer, metric, status: pass|fail|inconclusive|skipped}
 * - canaryWeight  gauge   {}  the weight the gate last set (percent; the router's own is routerCanaryWeight)
 * - replayOrders  counter {outcome: read|sent|failed|quarantined|lost}
 * - scenarioOrders counter {scenario, outcome: sent|failed|lost}
 * - scenarioProgress gauge {scenario}  share of the scenario's virtual time done, 0..1
 * - scenarioSlo   gauge   {scenario, slo, kind: observed|target}
 * Label values are names of layers, metrics, scenarios and outcomes only: never an
 * order id or anything about a customer.
 */
export const SHIPGATE_SERIES = {
  gateVerdicts: 'shipgate_gate_verdicts_total',
  gateChecks: 'shipgate_gate_checks_total',
  canaryWeight: 'shipgate_canary_weight',
  replayOrders: 'shipgate_replay_orders_total',
  scenarioOrders: 'shipgate_scenario_orders_total',
  scenarioProgress: 'shipgate_scenario_progress_ratio',
  scenarioSlo: 'shipgate_scenario_slo',
} as const;

export type ShipgateSeriesKey = keyof typeof SHIPGATE_SERIES;

/** Kind, help text and label names of each of shipgate's own series: data, so registry and dashboard agree. */
export const SHIPGATE_SERIES_SPEC = {
  gateVerdicts: {
    kind: 'counter',
    help: 'Decisions shipgate reached, by layer and verdict',
    labels: ['layer', 'verdict'],
  },
  gateChecks: {
    kind: 'counter',
    help: 'Checks shipgate judged, by layer, metric (check) and status',
    labels: ['layer', 'metric', 'status'],
  },
  canaryWeight: {
    kind: 'gauge',
    help: 'Canary traffic weight (percent) the gate last set or was told',
    labels: [],
  },
  replayOrders: {
    kind: 'counter',
    help: 'Replayed traffic by outcome: input lines read, sent, failed, quarantined; accepted orders lost',
    labels: ['outcome'],
  },
  scenarioOrders: {
    kind: 'counter',
    help: 'Orders a load scenario sent, by scenario and outcome (sent = accepted, failed, lost)',
    labels: ['scenario', 'outcome'],
  },
  scenarioProgress: {
    kind: 'gauge',
    help: "Share of the scenario's load window (virtual time) driven so far, 0..1",
    labels: ['scenario'],
  },
  scenarioSlo: {
    kind: 'gauge',
    help: "A scenario SLO's observed value and its target",
    labels: ['scenario', 'slo', 'kind'],
  },
} as const satisfies Record<
  ShipgateSeriesKey,
  { kind: 'counter' | 'gauge'; help: string; labels: readonly string[] }
>;
