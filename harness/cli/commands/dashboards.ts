import type { Command } from 'commander';
import type { ExportOptions } from '../actions/dashboards.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate dashboards export OUT_DIR [--config FILE] [--canary V] [--baseline V] [--check]`:
 * writes the Grafana dashboard JSON, the Prometheus recording and alert rules and (for the
 * built-in catalogue) their promtool unit tests, all generated from the metric
 * definitions: the config's own (`canary.metrics`, in its version label) or the built-in ones. `--check` then runs
 * `promtool check rules` and `promtool test rules` on them (exit 1 if either fails).
 */
export function registerDashboards(program: Command): void {
  const dashboards = program
    .command('dashboards')
    .description('Grafana dashboard and Prometheus rules generated from the metric catalogue');

  dashboards
    .command('export')
    .description('write shipgate-dashboard.json, recording-rules.yml, alert-rules.yml and rules.test.yml')
    .argument('<out-dir>', 'folder to write into (created if missing)')
    .option(
      '--config <file>',
      "generate from this config's canary.metrics and canary.versions (default: the built-in catalogue)",
    )
    .option('--canary <version>', "version label value of the canary (default: the config's, else canary)")
    .option(
      '--baseline <version>',
      "version label value of the baseline (default: the config's, else stable)",
    )
    .option('--check', 'run promtool check rules and promtool test rules on the written files')
    .option('--promtool <path>', 'promtool binary for --check', 'promtool')
    .option('--json', 'print the written paths as JSON')
    .action(
      action(async (outDir: string, options: ExportOptions) =>
        (await import('../actions/dashboards.ts')).exportDashboardFiles(outDir, options),
      ),
    );
}
