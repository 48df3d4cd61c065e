/**
 * The integration lane: test files that need a system tool (Prometheus, promtool,
 * Chromium), start the sandbox world, Prometheus or a child process (the CLI, tsc, the
 * isolated Pact verifier), or run for many seconds (fuzzing, rollouts in virtual time).
 * Every other test file is the unit lane (`npm run test:unit`). test/lanes.test.ts fails
 * when a test file that starts one of these is missing here.
 */
export const INTEGRATION = [
  'canary/controller/rollout.integration.test.ts',
  'canary/controller/rollout.prometheus.test.ts',
  'canary/journal/resume.test.ts',
  'canary/metrics/promql.test.ts',
  'canary/sources/agreement.test.ts',
  'contracts/layer/run.test.ts',
  'contracts/verify/broker.test.ts',
  'contracts/verify/variants.test.ts',
  'dashboards/export.test.ts',
  'dashboards/grafana.test.ts',
  'dashboards/rules.test.ts',
  'examples/kestrel-adapter/declarative.e2e.test.ts',
  'examples/kestrel-adapter/module.e2e.test.ts',
  'examples/own-platform/start.test.ts',
  'harness/cli/actions/contracts.test.ts',
  'harness/cli/actions/replay-raw.e2e.test.ts',
  'harness/cli/commands/canary.test.ts',
  'harness/cli/commands/replay.sandbox.test.ts',
  'harness/cli/commands/sandbox.test.ts',
  'harness/cli/commands/scenario.test.ts',
  'harness/cli/commands/traffic.test.ts',
  'harness/gate/*.e2e.test.ts',
  'harness/gate/resume.sandbox.test.ts',
  'harness/gate/resume.test.ts',
  'harness/prometheus/start.test.ts',
  'harness/report/html.test.ts',
  'harness/report/junit.test.ts',
  'harness/report/write.test.ts',
  'harness/telemetry/pushgateway.integration.test.ts',
  'sandbox/carriers/carriers.test.ts',
  'sandbox/inventory/app.test.ts',
  'sandbox/launch/defects.test.ts',
  'sandbox/launch/world.test.ts',
  'sandbox/platform/tracing.test.ts',
  'scenarios/k6/export.test.ts',
  'scenarios/run/runner.kestrel.test.ts',
  'scenarios/run/scenario-command.kestrel.test.ts',
  'scenarios/run/runner.sandbox*.test.ts',
  'test/reliability/access.test.ts',
  'test/reliability/canary-faults.test.ts',
  'test/reliability/disk.test.ts',
  'test/reliability/fuzz-files.test.ts',
  'test/reliability/gate-serve.test.ts',
  'test/reliability/load.test.ts',
  'test/reliability/pii-secrets.test.ts',
  'test/reliability/replay-faults.test.ts',
  'test/reliability/replay-sigkill.test.ts',
  'test/reliability/resume-fuzz.test.ts',
] as const;

/**
 * Integration files that take longest (seconds on an idle two-core machine, vitest's
 * per-file durations, docs/benchmarks.md "Test suite"), started first by test/sequencer.ts
 * so the suite does not end waiting on one of them. test/lanes.test.ts fails when one is
 * not a test file.
 */
export const LONGEST_FIRST = [
  'harness/gate/gate.latency.e2e.test.ts',
  'harness/gate/gate.promotes.e2e.test.ts',
  'harness/gate/gate.e2e.test.ts',
  'harness/gate/own-platform-canary.e2e.test.ts',
  'scenarios/run/runner.sandbox-faults.test.ts',
  'harness/gate/resume.sandbox.test.ts',
  'canary/controller/rollout.integration.test.ts',
  'sandbox/launch/defects.test.ts',
  'harness/cli/commands/sandbox.test.ts',
  'scenarios/run/runner.sandbox.test.ts',
  'harness/cli/commands/scenario.test.ts',
  'scenarios/run/runner.kestrel.test.ts',
  'scenarios/run/scenario-command.kestrel.test.ts',
  'scenarios/run/runner.sandbox-catalogue.test.ts',
  'harness/cli/commands/canary.test.ts',
  'harness/cli/commands/replay.sandbox.test.ts',
  'canary/controller/rollout.prometheus.test.ts',
  'harness/gate/own-platform-contracts.e2e.test.ts',
  'harness/gate/resume.test.ts',
] as const;
