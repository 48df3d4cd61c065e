import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { shipgateError } from '../../core/errors.ts';

/**
 * What `shipgate init` writes: every section present, the defaults spelled out, each
 * commented, so a user reads the config reference in the file they edit. Everything
 * in it is optional; deleting a key restores its default.
 */
export const STARTER_CONFIG = `// shipgate.config.ts — the release gate for your logistics platform.
// Run it with: npx shipgate gate --release "platform 2.4.0"
// Every key is optional; the values below are the defaults unless marked otherwise.
import { defineConfig } from 'shipgate/config';

export default defineConfig({
  release: {
    name: 'platform 2.4.0', // the release under test, as reviewers will see it
    candidateVersion: 'canary', // the value of the \`version\` label on the candidate's metrics
    baselineVersion: 'stable',
  },

  // Where the gate runs. Default: the embedded sandbox (a reference platform in-process).
  // For your own platform set kind: 'urls' and the URLs below.
  target: {
    kind: 'sandbox',
    sandbox: { speed: 3600, seed: 1, canaryDefect: 'none', latency: 'none' },
    // kind: 'urls',
    // router: 'https://router.staging.example.com', // weighted split stable/canary
    // stable: 'https://orders-stable.staging.example.com',
    // canary: 'https://orders-canary.staging.example.com',
    // metrics: ['https://orders-canary.staging.example.com/metrics'],
    // adminTokenEnv: 'SHIPGATE_ADMIN_TOKEN', // the token is read from this variable, never stored here
  },

  // The layers, always run in this order; the gate stops at the first failing one
  // unless continueOnFailure is true.
  layers: ['contracts', 'replay', 'scenarios', 'canary'],
  continueOnFailure: false,

  // shipgate's own progress, verdicts and canary weight for the Grafana dashboard
  // (shipgate dashboards export), pushed every 15 s while the gate runs. Off by default;
  // SHIPGATE_PUSHGATEWAY_URL or --pushgateway do the same.
  // pushgateway: { url: 'http://pushgateway:9091', tokenEnv: 'SHIPGATE_PUSHGATEWAY_TOKEN' },

  contracts: {
    pactDir: '.shipgate/pacts', // your consumers' pact files (any consumer, Pact V2, V3 or V4)
    // Your providers, by the name their pacts give them. Default: the sandbox's own four.
    // providers: {
    //   'warehouse-api': {
    //     baseUrl: 'https://warehouse.staging.example.com', // or { env: 'WAREHOUSE_URL' }
    //     stateChangeUrl: '/_pact/state', // Pact's POST { state, params, action: setup|teardown }
    //     headers: { Authorization: { env: 'WAREHOUSE_TOKEN', prefix: 'Bearer ' } }, // secrets: env only
    //   },
    // },
    // consumerSpecs: true, // the sandbox platform's own consumer specs (default: target is the sandbox)
    // broker: {
    //   url: 'https://broker.example.com', tokenEnv: 'PACT_BROKER_TOKEN',
    //   canIDeploy: [{ pacticipant: 'warehouse-api', environment: 'production' }],
    // },
  },

  replay: {
    // mode: 'raw', // replay a HAR or GoReplay (.gor) recording of your API as recorded, diff the answers
    // headers: { Authorization: { env: 'API_TOKEN', prefix: 'Bearer ' } }, // raw: set on every request
    // endpoints: ['/users/{user}'], // raw: path templates the id heuristic misses
    // traffic: 'traffic/monday.scrubbed.jsonl', // recorded orders (scrub them first: shipgate traffic scrub)
    orders: 300, // without a traffic file: a generated day of this many orders
    speed: 'max', // virtual seconds per real second, or 'max'
    multiply: 1, // 10 = a x10 peak (clones with new ids)
    concurrency: 64, // most requests in flight per target (the default)
    allowHosts: [], // hosts besides loopback the replay may send to
    diffBudget: 0.01, // share of orders allowed to differ from the baseline
    // secondBaseline: 'https://orders-stable-2.staging.example.com', // learns which fields are noise
    settleTimeout: '60s',
  },

  scenarios: {
    run: ['peak-day'], // see: shipgate scenario list
    scale: 1, // 0.1 runs a tenth of each scenario's orders
    // settleDays: 2, // virtual days to track deliveries after the load (default: each scenario's)
    settleTimeout: '60s', // real-time bound on that tracking
    // extra: [ { name: 'my-peak', description: '...', load: ..., faults: [], expectations: [], settleDays: 2, speed: 1440 } ],
  },

  canary: {
    // 'auto': against the sandbox, a Prometheus on loopback when one is installed, else direct scrape.
    source: { kind: 'auto' },
    // source: { kind: 'prometheus', url: 'http://prometheus:9090', tokenEnv: 'SHIPGATE_PROMETHEUS_TOKEN' },
    steps: [10, 50, 100], // canary weight per step, percent
    interval: '15m', // time between analyses (the platform's time: virtual against the sandbox)
    minStep: '60m', // a step lasts at least this long
    minStepSamples: 5,
    maxDuration: '48h', // no pass by then: roll back
    alpha: 0.05, // false-rollback bound of the sequential judge, however often it looks
    judge: 'sequential', // or 'threshold', 'mann-whitney'
    minCanarySamples: 400,
    inconclusive: { budget: 5, policy: 'rollback' }, // missing data is never a pass
    actuator: { kind: 'router', tokenEnv: 'SHIPGATE_ADMIN_TOKEN' }, // or 'webhook', 'argo'
    ordersPerSecond: 30, // sandbox only: traffic sent through the router during the rollout
    blastRadius: true, // after a rollback, export the affected orders for customer service
  },
});
`;

export function writeStarterConfig(options: { dir?: string; force?: boolean } = {}): string {
  const file = resolve(options.dir ?? process.cwd(), 'shipgate.config.ts');
  if (existsSync(file) && !options.force)
    throw shipgateError('SG_USAGE', { message: `${file} already exists; use --force to overwrite it` });
  try {
    writeFileSync(file, STARTER_CONFIG);
  } catch (error) {
    throw shipgateError('SG_FILE_UNWRITABLE', { file, reason: (error as Error).message });
  }
  return file;
}
