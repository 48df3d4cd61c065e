// Kestrel's release gate: shipgate configured for this platform, by this platform's names.
// Plain data on purpose: the example imports nothing of shipgate (independence.test.ts);
// in your own repository write `export default defineConfig({ … })` from 'shipgate/config'.
//
// Start the platform (npx tsx examples/own-platform/start.ts), take the URLs, the ops key
// and the depot token from its ready line, point a Prometheus at its three /metrics, then:
//
//   export KESTREL_CURRENT_URL=… KESTREL_NEXT_URL=… KESTREL_ENTRY_URL=… KESTREL_OPS_KEY=… \
//          KESTREL_DEPOT_URL=… KESTREL_DEPOT_TOKEN=… KESTREL_PROMETHEUS_URL=http://127.0.0.1:9090
//   npx shipgate gate --config examples/own-platform/shipgate.config.ts --layers contracts
//   npx shipgate gate --config examples/own-platform/shipgate.config.ts --layers canary
//
// Secrets and per-run URLs stay in the environment: the config names the variables.
import { fileURLToPath } from 'node:url';
import { kestrelPlatform } from './shipgate-platform.ts';

/** A URL of the running platform, from the environment (the gate's target needs it). */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} to the running Kestrel platform's URL (its ready line)`);
  return value;
}

export default {
  release: {
    name: 'kestrel fulfilment (next build)',
    // The provider version verification results are published for (with a broker).
    candidateVersion: process.env.KESTREL_VERSION ?? 'next',
    baselineVersion: 'current',
  },
  target: {
    kind: 'urls',
    stable: required('KESTREL_CURRENT_URL'),
    canary: required('KESTREL_NEXT_URL'),
    // How orders are sent and outcomes read: Kestrel's own API (shipgate-platform.ts).
    platform: kestrelPlatform,
  },
  layers: ['contracts', 'canary'],

  // ── canary: Kestrel's own series, its build label, its switchboard ────────────────────
  canary: {
    // Kestrel marks each series with the build that served it: release_track="current|next".
    versions: { label: 'release_track', canary: 'next', baseline: 'current' },
    // Kestrel's own metrics, in its names. It has no dispatch-cutoff or ETA metric, so none is judged.
    metrics: [
      {
        id: 'failed_share',
        title: 'Failed fulfilment requests',
        description:
          'Share of PUT /fulfilment/requests answered 5xx (a 503 shed, a 502 from the depot or carrier).',
        kind: 'events',
        bad: { series: 'kestrel_fulfilment_requests_total', matchers: { result: 'failed' } },
        total: { series: 'kestrel_fulfilment_requests_total' },
        indicator: 'leading',
        direction: 'higher-is-worse',
        slo: { op: '<=', value: 0.01 },
      },
      {
        id: 'slow_handling',
        title: 'Requests slower than 320 ms',
        description:
          'Share of fulfilment requests answered after more than 320 ms (a bucket of the histogram).',
        kind: 'latency',
        histogram: 'kestrel_fulfilment_handling_ms',
        unit: 'milliseconds',
        sloBucket: 320,
        indicator: 'leading',
        direction: 'higher-is-worse',
        slo: { op: '<=', value: 0.05 },
      },
      {
        id: 'late_share',
        title: 'Late deliveries',
        description: 'Share of delivered parcels that arrived after their promised date.',
        kind: 'events',
        bad: { series: 'kestrel_parcels_delivered_total', matchers: { punctuality: 'late' } },
        total: { series: 'kestrel_parcels_delivered_total' },
        indicator: 'lagging',
        direction: 'higher-is-worse',
        slo: { op: '<=', value: 0.08 },
      },
      {
        id: 'handling_p95',
        title: 'Handling time p95',
        kind: 'quantile',
        histogram: 'kestrel_fulfilment_handling_ms',
        quantile: 0.95,
        unit: 'milliseconds',
        indicator: 'leading',
        direction: 'higher-is-worse',
        slo: { op: '<=', value: 320 },
      },
    ],
    // Judged: the three shares. The p95 is defined for dashboards and rules, not judged:
    // its whole-histogram shift test is what CPU contention on a shared host moves first.
    use: ['failed_share', 'slow_handling', 'late_share'],
    source: { kind: 'prometheus', url: process.env.KESTREL_PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
    // Wall time: Kestrel's simulated clock moves parcels, not the rollout. A pass needs
    // 400 canary requests on each leading metric; the lagging late share is not waited for.
    steps: [20, 50, 100],
    interval: '1m',
    minStep: '10m',
    minStepSamples: 50,
    minCanarySamples: 400,
    maxDuration: '6h',
    // After a rollback shipgate would list the canary's orders through the sandbox's order
    // API; Kestrel has none it can read, so no blast-radius export.
    blastRadius: false,
    // What moves traffic: Kestrel's own switchboard, described as requests.
    actuator: {
      kind: 'http',
      requests: {
        setWeight: {
          method: 'PATCH',
          url: '{{env.KESTREL_ENTRY_URL}}/ops/split',
          headers: { 'X-Ops-Key': '{{env.KESTREL_OPS_KEY}}' },
          body: '{"nextPercent": {{weight}}}',
          expectStatus: [200],
        },
        // Kestrel has no promote or roll-back call: all traffic to next, or none.
        promote: {
          method: 'PATCH',
          url: '{{env.KESTREL_ENTRY_URL}}/ops/split',
          headers: { 'X-Ops-Key': '{{env.KESTREL_OPS_KEY}}' },
          body: '{"nextPercent": 100}',
          expectStatus: [200],
        },
        rollback: {
          method: 'PATCH',
          url: '{{env.KESTREL_ENTRY_URL}}/ops/split',
          headers: { 'X-Ops-Key': '{{env.KESTREL_OPS_KEY}}' },
          body: '{"nextPercent": 0}',
          expectStatus: [200],
        },
        state: {
          method: 'GET',
          url: '{{env.KESTREL_ENTRY_URL}}/ops/split',
          headers: { 'X-Ops-Key': '{{env.KESTREL_OPS_KEY}}' },
        },
      },
      answer: { weight: 'nextPercent' },
    },
  },

  // ── contracts: Kestrel's own pacts, verified against Kestrel's own depot ──────────────
  contracts: {
    // The consumers' pacts (fulfilment-desk V4, restock-planner V3), every one verified.
    pactDir: fileURLToPath(new URL('./pacts', import.meta.url)),
    providers: {
      'kestrel-depot': {
        baseUrl: { env: 'KESTREL_DEPOT_URL' },
        // Pact's state-change convention: POST { state, params, action: setup|teardown }.
        stateChangeUrl: '/_pact/state',
        // The depot's token is in no pact: added to every verified request, read from the environment.
        headers: { 'X-Depot-Token': { env: 'KESTREL_DEPOT_TOKEN' } },
      },
    },
    // With a Pact Broker: pacts fetched from it, results published for release.candidateVersion,
    // then can-i-deploy for the depot.
    // broker: {
    //   url: 'https://broker.kestrel.example', tokenEnv: 'PACT_BROKER_TOKEN',
    //   canIDeploy: [{ pacticipant: 'kestrel-depot', environment: 'production' }],
    // },
  },
};
