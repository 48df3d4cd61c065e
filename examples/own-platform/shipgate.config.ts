// Kestrel's release gate: shipgate configured for this platform, by this platform's names.
// Plain data on purpose: the example imports nothing of shipgate (independence.test.ts);
// in your own repository write `export default defineConfig({ … })` from 'shipgate/config'.
//
// Start the platform (npx tsx examples/own-platform/start.ts), take the URLs and the depot
// token from its ready line, then:
//
//   export KESTREL_CURRENT_URL=… KESTREL_NEXT_URL=… KESTREL_DEPOT_URL=… KESTREL_DEPOT_TOKEN=…
//   npx shipgate gate --config examples/own-platform/shipgate.config.ts --layers contracts
//
// Secrets and per-run URLs stay in the environment: the config names the variables.
import { fileURLToPath } from 'node:url';

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
  target: { kind: 'urls', stable: required('KESTREL_CURRENT_URL'), canary: required('KESTREL_NEXT_URL') },
  layers: ['contracts'],

  // ── canary: what moves traffic is Kestrel's own switchboard, described as requests ─────
  // (The canary's metrics are not yet configurable: it judges the built-in catalogue's
  // series, so this config runs the contracts layer; the actuator is tested on its own.)
  canary: {
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
