/**
 * The canary settings of the gate's tests on the sandbox (the same code as a full run,
 * smaller): steps 10 → 50 → 100%, an hour of platform time per step on the 3600×
 * clock, 200 canary orders per leading metric to promote, direct scrape (no Prometheus
 * start-up), 30 orders/s through the router.
 */
export const COMPACT_SANDBOX_CANARY = {
  source: { kind: 'direct-scrape' },
  steps: [10, 50, 100],
  interval: '15m',
  minStep: '60m',
  maxDuration: '96h',
  minCanarySamples: 200,
  ordersPerSecond: 30,
} as const;
