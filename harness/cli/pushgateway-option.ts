import { Option } from 'commander';

/**
 * `--pushgateway URL` on every command that does long work (gate, replay, scenario run,
 * canary run): shipgate's own metrics pushed there for the Grafana dashboard. Same as
 * SHIPGATE_PUSHGATEWAY_URL; resolved by harness/telemetry/self-metrics-run.ts.
 */
export function pushgatewayOption(): Option {
  return new Option(
    '--pushgateway <url>',
    "push shipgate's own metrics (progress, verdicts, canary weight) to this Prometheus Pushgateway every 15 s and at the end (or SHIPGATE_PUSHGATEWAY_URL; token from SHIPGATE_PUSHGATEWAY_TOKEN)",
  );
}
