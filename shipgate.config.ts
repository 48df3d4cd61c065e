// The example config for this repository: the whole gate against the embedded sandbox,
// with the demo's compact settings so it finishes in a few minutes on a laptop.
// `npx shipgate init` writes a commented starter with every key.
import { defineConfig } from 'shipgate/config';

export default defineConfig({
  release: { name: 'sandbox platform (canary build)' },
  target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: 'none' } },
  layers: ['contracts', 'replay', 'scenarios', 'canary'],
  // Stable and canary share the sandbox's inventory: 2% leaves room for a stock count in a rejection reason.
  replay: { orders: 200, speed: 4320, diffBudget: 0.02 },
  scenarios: { run: ['peak-day'], scale: 0.01, speed: 144, settleDays: 3, settleTimeout: '25s' },
  canary: {
    steps: [10, 50, 100],
    interval: '15m',
    minStep: '60m',
    maxDuration: '96h',
    minCanarySamples: 200,
    ordersPerSecond: 30,
  },
});
