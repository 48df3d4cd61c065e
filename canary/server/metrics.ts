import { Counter, Gauge, Registry } from 'prom-client';
import { SHIPGATE_SERIES, SHIPGATE_SERIES_SPEC } from '../metrics/names.ts';

/**
 * The gate server's /metrics: shipgate's own series under the catalogue's names and
 * label sets (canary/metrics/names.ts), so the Grafana dashboard's verdict, check and
 * weight panels work with the server as they do with the CLI's pushes, plus the
 * server's own request accounting under a name of its own.
 *
 * The weight carries no canary label (the dashboard's series has none): run one gate
 * server per rollout, or read the per-request weight from the requests counter's logs.
 */
export const SERVER_REQUESTS = 'shipgate_server_requests_total';

export function createGateMetrics() {
  const registry = new Registry();
  const spec = SHIPGATE_SERIES_SPEC;
  const metrics = {
    registry,
    /** One per judgement the server made for a caller; layer is always "canary". */
    verdicts: new Counter({
      name: SHIPGATE_SERIES.gateVerdicts,
      help: spec.gateVerdicts.help,
      labelNames: spec.gateVerdicts.labels,
      registers: [registry],
    }),
    /** Each judged metric's verdict, per judgement. */
    checks: new Counter({
      name: SHIPGATE_SERIES.gateChecks,
      help: spec.gateChecks.help,
      labelNames: spec.gateChecks.labels,
      registers: [registry],
    }),
    weight: new Gauge({
      name: SHIPGATE_SERIES.canaryWeight,
      help: spec.canaryWeight.help,
      labelNames: spec.canaryWeight.labels,
      registers: [registry],
    }),
    requests: new Counter({
      name: SERVER_REQUESTS,
      help: 'Webhook and provider calls to the gate server, by hook and by the answer given (allowed, refused, unauthorized, or the verdict)',
      labelNames: ['hook', 'answer'] as const,
      registers: [registry],
    }),
  };
  // Verdict series exist from the start at zero, so increase() counts the first one.
  for (const verdict of ['pass', 'fail', 'inconclusive'] as const)
    metrics.verdicts.inc({ layer: 'canary', verdict }, 0);
  return metrics;
}

export type GateMetrics = ReturnType<typeof createGateMetrics>;

/** A judgement's verdict and its per-metric checks, as the dashboard reads them. */
export function recordJudgement(
  metrics: GateMetrics,
  result: {
    verdict: 'pass' | 'fail' | 'inconclusive';
    metrics: readonly { metricId: string; verdict: string }[];
  },
): void {
  metrics.verdicts.inc({ layer: 'canary', verdict: result.verdict });
  for (const m of result.metrics)
    metrics.checks.inc({ layer: 'canary', metric: m.metricId, status: m.verdict });
}
