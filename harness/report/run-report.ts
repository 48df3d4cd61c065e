import type { Report } from '../../core/report/model.ts';
import type { RunFolder } from '../../core/run/run-folder.ts';
import { type BuildReportInput, buildReport } from './build.ts';
import { type WrittenReports, writeReports } from './write.ts';

/** The one way a command ends a run: the report built from its sections, written in every format. */
export function writeRunReport(
  run: RunFolder,
  input: Omit<BuildReportInput, 'runId' | 'finishedAt'>,
): { report: Report; files: WrittenReports } {
  const report = buildReport({ ...input, runId: run.id, finishedAt: new Date() });
  return { report, files: writeReports(run, report) };
}
