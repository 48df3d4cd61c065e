import type { Command } from 'commander';
import { ExitCode } from '../../../core/exit-codes.ts';
import { action, output } from '../run-command.ts';

/**
 * `shipgate dashboards export OUT_DIR [--canary V] [--baseline V] [--check]`: writes the
 * Grafana dashboard JSON, the Prometheus recording and alert rules and their promtool
 * unit tests, all generated from the metric catalogue. `--check` then runs
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
    .option('--canary <version>', 'version label value of the canary', 'canary')
    .option('--baseline <version>', 'version label value of the baseline', 'stable')
    .option('--check', 'run promtool check rules and promtool test rules on the written files')
    .option('--promtool <path>', 'promtool binary for --check', 'promtool')
    .option('--json', 'print the written paths as JSON')
    .action(
      action(async (outDir: string, options: ExportOptions) => {
        const { exportDashboards } = await import('../../../dashboards/export.ts');
        const files = exportDashboards(outDir, { canary: options.canary, baseline: options.baseline });
        let code: ExitCode = ExitCode.Pass;
        const checks: { command: string; ok: boolean; output: string }[] = [];
        if (options.check) {
          const { execa } = await import('execa');
          const runs = [
            ['check', 'rules', files.recording, files.alerts],
            ['test', 'rules', files.tests],
          ];
          for (const args of runs) {
            const result = await execa(options.promtool, args, { reject: false, timeout: 60_000 });
            if (result.failed && result.exitCode === undefined) {
              const { shipgateError } = await import('../../../core/errors.ts');
              throw shipgateError('SG_DASHBOARDS_EXPORT_FAILED', {
                dir: outDir,
                reason: `cannot run ${options.promtool}: ${result.shortMessage}`,
              });
            }
            const ok = result.exitCode === 0;
            checks.push({
              command: `promtool ${args.join(' ')}`,
              ok,
              output: `${result.stdout}${result.stderr}`.trim(),
            });
            if (!ok) code = ExitCode.GateFailed;
          }
        }
        output(options.json, { files, checks }, () =>
          [
            ...Object.values(files),
            ...checks.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.command}${c.ok ? '' : `\n${c.output}`}`),
          ].join('\n'),
        );
        return code;
      }),
    );
}

interface ExportOptions {
  canary: string;
  baseline: string;
  check?: boolean;
  promtool: string;
  json?: boolean;
}
