import { Counter, Gauge, Registry } from 'prom-client';
import { SHIPGATE_SERIES, SHIPGATE_SERIES_SPEC } from '../../canary/metrics/names.ts';

/**
 * shipgate's own series (canary/metrics/names.ts) in one prom-client registry: what a
 * command decided, how far a replay or scenario has got, the weight the canary is at.
 * The CLI pushes this registry to a Pushgateway (push.ts); the dashboard reads it.
 * Names, help and label names all come from SHIPGATE_SERIES_SPEC, so the registry and
 * the dashboard cannot disagree. Label values are layer, metric, scenario and outcome
 * names only: never an order id or customer data.
 */
export interface SelfMetrics {
  registry: Registry;
  gateVerdicts: Counter<'layer' | 'verdict'>;
  gateChecks: Counter<'layer' | 'metric' | 'status'>;
  canaryWeight: Gauge;
  replayOrders: Counter<'outcome'>;
  scenarioOrders: Counter<'scenario' | 'outcome'>;
  scenarioProgress: Gauge<'scenario'>;
  scenarioSlo: Gauge<'scenario' | 'slo' | 'kind'>;
}

const spec = SHIPGATE_SERIES_SPEC;

export function createSelfMetrics(): SelfMetrics {
  const registry = new Registry();
  const common = (key: keyof typeof SHIPGATE_SERIES) => ({
    name: SHIPGATE_SERIES[key],
    help: spec[key].help,
    registers: [registry],
  });
  return {
    registry,
    gateVerdicts: new Counter({ ...common('gateVerdicts'), labelNames: spec.gateVerdicts.labels }),
    gateChecks: new Counter({ ...common('gateChecks'), labelNames: spec.gateChecks.labels }),
    canaryWeight: new Gauge({ ...common('canaryWeight'), labelNames: spec.canaryWeight.labels }),
    replayOrders: new Counter({ ...common('replayOrders'), labelNames: spec.replayOrders.labels }),
    scenarioOrders: new Counter({ ...common('scenarioOrders'), labelNames: spec.scenarioOrders.labels }),
    scenarioProgress: new Gauge({
      ...common('scenarioProgress'),
      labelNames: spec.scenarioProgress.labels,
    }),
    scenarioSlo: new Gauge({ ...common('scenarioSlo'), labelNames: spec.scenarioSlo.labels }),
  };
}

/**
 * Counts that arrive as running totals (the replayer's and the scenario's progress
 * snapshots) become counter increments: only the growth since the last snapshot is
 * added, so repeated snapshots never double count.
 */
export function runningTotals<L extends string>(counter: Counter<L>) {
  const last = new Map<string, number>();
  return (labels: Partial<Record<L, string>>, total: number): void => {
    const key = JSON.stringify(labels);
    const growth = total - (last.get(key) ?? 0);
    if (!(growth > 0)) return;
    last.set(key, total);
    counter.inc(labels, growth);
  };
}
