import { dirname } from 'node:path';
import { ExitCode } from '../../../core/exit-codes.ts';
import { exitCodeFor } from '../../../core/report/verdict.ts';
import { openRunFolder } from '../../../core/run/run-folder.ts';
import { REPORT_FORMATS, readReport, renderReport, writeReports } from '../../report/write.ts';
import { output } from '../run-command.ts';

export interface ReportOptions {
  format?: 'html' | 'md' | 'json' | 'junit';
  stdout?: boolean;
  exitCode?: boolean;
  json?: boolean;
}

/** Re-renders a run's reports from its validated report.json. */
export async function rerenderReport(runDir: string, options: ReportOptions): Promise<ExitCode> {
  const report = readReport(runDir);
  const verdictCode = options.exitCode ? exitCodeFor(report.decision.verdict) : ExitCode.Pass;
  if (options.stdout) {
    process.stdout.write(renderReport(report, options.format ?? 'md'));
    return verdictCode;
  }
  const dir = runDir.endsWith('.json') ? dirname(runDir) : runDir;
  const written = writeReports(
    openRunFolder(dir),
    report,
    options.format ? [options.format] : REPORT_FORMATS,
  );
  output(options.json, { verdict: report.decision.verdict, written }, () =>
    Object.values(written).join('\n'),
  );
  return verdictCode;
}
