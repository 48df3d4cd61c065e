import { Counter, Gauge, Registry } from 'prom-client';

/** The gate server's own series: what it answered, how often it was asked, and the weight it last saw. */
export function createGateMetrics() {
  const registry = new Registry();
  return {
    registry,
    verdicts: new Counter({
      name: 'shipgate_gate_verdicts_total',
      help: 'Verdicts the gate reached, by verdict and by the caller that asked',
      labelNames: ['verdict', 'caller'] as const,
      registers: [registry],
    }),
    checks: new Counter({
      name: 'shipgate_gate_checks_total',
      help: 'Webhook and provider calls, by hook and by the answer given (allowed, refused, error)',
      labelNames: ['hook', 'answer'] as const,
      registers: [registry],
    }),
    weight: new Gauge({
      name: 'shipgate_gate_canary_weight',
      help: 'Canary traffic weight (percent) last reported by the caller',
      labelNames: ['canary'] as const,
      registers: [registry],
    }),
  };
}

export type GateMetrics = ReturnType<typeof createGateMetrics>;
