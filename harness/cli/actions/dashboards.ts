import { execa } from 'execa';
import { VERSION_LABEL } from '../../../canary/metrics/names.ts';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import { exportDashboards } from '../../../dashboards/export.ts';
import { loadConfig } from '../../config/load.ts';
import { output } from '../run-command.ts';

export interface ExportOptions {
  /** Default: the config's canary.versions, else canary / stable. */
  canary?: string;
  baseline?: string;
  /** The config whose metrics and version label to generate from (default: the built-in catalogue). */
  config?: string;
  check?: boolean;
  promtool: string;
  json?: boolean;
}

/** Writes the dashboards and rules; with --check, promtool checks and tests the rules (exit 1 if either fails). */
export async function exportDashboardFiles(outDir: string, options: ExportOptions): Promise<ExitCode> {
  const target = options.config ? (await loadConfig({ file: options.config })).resolved.canary : undefined;
  const files = exportDashboards(outDir, {
    canary: options.canary ?? target?.versions.canary ?? 'canary',
    baseline: options.baseline ?? target?.versions.baseline ?? 'stable',
    ...(target ? { catalogue: target.metrics } : {}),
    ...(target && target.versions.label !== VERSION_LABEL ? { versionLabel: target.versions.label } : {}),
  });
  let code: ExitCode = ExitCode.Pass;
  const checks: { command: string; ok: boolean; output: string }[] = [];
  if (options.check) {
    const runs = [
      ['check', 'rules', files.recording, files.alerts],
      ...(files.tests ? [['test', 'rules', files.tests]] : []),
    ];
    for (const args of runs) {
      const result = await execa(options.promtool, args, { reject: false, timeout: 60_000 });
      if (result.failed && result.exitCode === undefined) {
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
}
