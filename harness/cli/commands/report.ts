import type { Command } from 'commander';
import { Option } from 'commander';
import type { ReportOptions } from '../actions/report.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate report RUN_DIR [--format html|md|json|junit] [--stdout] [--exit-code]`:
 * re-renders a run's reports from its report.json (validated against the schema).
 *
 * - default: writes all four files into RUN_DIR and prints their paths;
 * - `--format F`: only that one;
 * - `--stdout`: prints the content instead of writing (one format; md by default),
 *   e.g. `shipgate report RUN --stdout >> "$GITHUB_STEP_SUMMARY"`;
 * - `--exit-code`: ends with the run's verdict as the exit code (0 pass, 1 fail,
 *   3 inconclusive) instead of 0, so a CI step can re-render and gate in one line.
 */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      're-render a run folder’s report.md, report.html, junit.xml (and report.json) from its report.json',
    )
    .argument('<run-dir>', 'the run folder (or its report.json)')
    .addOption(
      new Option('--format <format>', 'render only this format').choices(['html', 'md', 'json', 'junit']),
    )
    .option(
      '--stdout',
      'print the rendered content to stdout instead of writing it (md unless --format says otherwise)',
    )
    .option('--exit-code', 'exit with the run’s verdict: 0 pass, 1 fail, 3 inconclusive')
    .option('--json', 'print the written paths as JSON')
    .action(
      action(async (runDir: string, options: ReportOptions) =>
        (await import('../actions/report.ts')).rerenderReport(runDir, options),
      ),
    );
}
