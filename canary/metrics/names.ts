/**
 * The label that carries the platform version (`stable`, `canary` or a build id) when
 * the config does not name another (`canary.versions.label`). The built-in preset's
 * series names are in presets/builtin.ts; only shipgate's own series are here.
 */
export const VERSION_LABEL = 'version';

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
