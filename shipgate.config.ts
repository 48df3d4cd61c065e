// The example config for this repository: the whole gate against the embedded sandbox,
// with compact settings so it finishes in a few minutes on a laptop.
// `npx shipgate init` writes a commented starter with every key.
import { defineConfig } from 'shipgate/config';

export default defineConfig({
  release: { name: 'sandbox platform (canary build)' },
  target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: 'none' } },
  layers: ['contracts', 'replay', 'scenarios', 'canary'],
  replay: { orders: 200, speed: 'max', diffBudget: 0.01 },
  scenarios: { run: ['peak-day'], scale: 0.2 },
  canary: { steps: [10, 50, 100], interval: '15m', minStep: '60m', ordersPerSecond: 30 },
});
