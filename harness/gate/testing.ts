import { DEMO_CANARY } from '../demo/demo.ts';

/**
 * The canary settings of the gate's tests on the sandbox: the demo's compact rollout
 * (steps 10 → 50 → 100%, an hour of platform time per step on the 3600× clock, 200 canary
 * orders per leading metric to promote, 30 orders/s through the router), read by direct
 * scrape so no Prometheus has to start.
 */
export const COMPACT_SANDBOX_CANARY = { ...DEMO_CANARY, source: { kind: 'direct-scrape' } } as const;
