import { readFileSync } from 'node:fs';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { createRunFolder } from '../../../core/run/run-folder.ts';
import { k6Section } from '../../../scenarios/run/k6-import.ts';
import { writeRunReport } from '../../report/run-report.ts';
import { output } from '../run-command.ts';

export interface ImportK6Flags {
  exitCode: number;
  scenario?: string;
  runDir?: string;
  json?: boolean;
}

/** A k6 run's summary.json and exit code mapped into shipgate's report. */
export function importK6(file: string, options: ImportK6Flags): ExitCode {
  let summary: unknown;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw shipgateError('SG_FILE_UNREADABLE', { file, reason: (error as Error).message }, error);
  }
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary))
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: '(root)',
      problem: 'not a k6 summary object',
    });
  const startedAt = new Date();
  const section = k6Section({
    summary: summary as never,
    exitCode: options.exitCode,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    file,
  });
  const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
  run.journal.append({ type: 'scenario.k6.imported', exitCode: options.exitCode, status: section.status });
  const { report } = writeRunReport(run, {
    command: 'scenario import-k6',
    release: { name: `k6 run${options.scenario ? ` of ${options.scenario}` : ''}`, candidateVersion: 'k6' },
    startedAt,
    layers: { scenarios: section },
  });
  output(options.json, { runDir: run.dir, section }, () => `${section.summary}\nrun folder: ${run.dir}`);
  return report.decision.exitCode as ExitCode;
}
