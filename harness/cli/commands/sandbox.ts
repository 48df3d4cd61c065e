import type { Command } from 'commander';
import { Option } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import type { SandboxUpOptions } from '../../../sandbox/launch/up.ts';
import { DEFECT_NAMES, DEFECTS, isDefectName } from '../../../sandbox/platform/defects.ts';
import { positiveNumber } from '../flags.ts';
import { action, output } from '../run-command.ts';

/** Registers `shipgate sandbox up | down | defects | catalogue`. */
export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('the reference logistics platform: stable and canary builds, inventory, carriers, router');

  sandbox
    .command('defects')
    .description('list the canary defect catalogue, one line each')
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        output(options.json, DEFECTS, () =>
          DEFECTS.map(
            (d) =>
              `${d.name.padEnd(20)} ${d.summary}\n${''.padEnd(20)} breaks: ${d.breaks}; caught by: ${d.caughtBy}`,
          ).join('\n'),
        );
      }),
    );

  sandbox
    .command('catalogue')
    .description(
      'list the SKUs (with weights) and the service area: regions, postcodes, carriers and their limits',
    )
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const { formatCatalogue, sandboxCatalogue } = await import(
          '../../../sandbox/catalogue/sandbox-catalogue.ts'
        );
        const catalogue = sandboxCatalogue();
        output(options.json, catalogue, () => formatCatalogue(catalogue));
      }),
    );

  sandbox
    .command('up')
    .description('start the sandbox world on loopback and print every URL; Ctrl-C stops it')
    .addOption(
      new Option('--canary-defect <name>', 'defect carried by the canary build')
        .default('none')
        .choices(DEFECT_NAMES),
    )
    .option('--speed <n>', 'virtual seconds per real second', positiveNumber('--speed'), 60)
    .option('--seed <n>', 'seed for stock, carriers and defects', (v) => Number.parseInt(v, 10), 1)
    .option(
      '--detach',
      'start the services as background processes and return; stop them with `sandbox down`',
    )
    .option('--in-process', 'run every service inside this process (faster start; used by tests)')
    .option(
      '--state-file <file>',
      'where a detached sandbox records its pids and URLs',
      '.shipgate/sandbox.json',
    )
    .option('--json', 'print the URLs as JSON')
    .action(
      action(async (options: SandboxUpOptions) => {
        if (!isDefectName(options.canaryDefect)) {
          throw shipgateError('SG_UNKNOWN_DEFECT', {
            name: options.canaryDefect,
            known: DEFECT_NAMES.join(', '),
          });
        }
        const { sandboxUp } = await import('../../../sandbox/launch/up.ts');
        return sandboxUp(options);
      }),
    );

  sandbox
    .command('down')
    .description('stop a sandbox started with --detach')
    .option('--state-file <file>', 'the detached sandbox state file', '.shipgate/sandbox.json')
    .action(
      action(async (options: { stateFile: string }) => {
        const { sandboxDown } = await import('../../../sandbox/launch/up.ts');
        return sandboxDown(options.stateFile);
      }),
    );
}
