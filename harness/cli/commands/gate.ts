import { type Command, InvalidArgumentError } from 'commander';
import { type GateLayer, LAYER_NAMES } from '../../config/layers.ts';
import type { DemoFlags, GateFlags } from '../actions/gate.ts';
import { positiveNumber } from '../flags.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate gate` (every configured layer, one report), `shipgate init` (a commented
 * starter config) and `shipgate demo` (the gate on the embedded sandbox, end to end).
 */
export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('run the release gate: contracts → replay/diff → scenarios → canary, one report')
    .option(
      '--config <file>',
      'config file (default: shipgate.config.{ts,js,json,yaml} here, else the defaults)',
    )
    .option('--release <name>', 'the release under test, as reviewers see it')
    .option('--layers <list>', `layers to run, comma-separated (${LAYER_NAMES.join(',')})`, parseLayers)
    .option('--continue-on-failure', 'run every layer even after one fails')
    .option('--canary-defect <name>', 'sandbox only: the defect the canary build carries')
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option(
      '--resume <dir>',
      'finish a gate that was killed or interrupted, from its run folder (same config): finished layers are not re-run',
    )
    .addOption(pushgatewayOption())
    .option('--json', 'print the result as JSON')
    .action(action(async (flags: GateFlags) => (await import('../actions/gate.ts')).gateCommand(flags)));

  program
    .command('init')
    .description('write a commented starter shipgate.config.ts')
    .option('--force', 'overwrite an existing shipgate.config.ts')
    .action(
      action(async (flags: { force?: boolean }) => {
        const { writeStarterConfig } = await import('../../config/starter.ts');
        const file = writeStarterConfig({ force: flags.force === true });
        process.stdout.write(`wrote ${file}\nnext: npx shipgate gate --release "my release"\n`);
      }),
    );

  program
    .command('demo')
    .description('the release gate end to end on the embedded sandbox, with a defective canary')
    .option(
      '--defect <name>',
      'the canary build\'s defect ("none" for a clean promotion)',
      'latency-under-load',
    )
    .option('--speed <n>', 'virtual seconds per real second', positiveNumber('--speed'), 3600)
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(action(async (flags: DemoFlags) => (await import('../actions/gate.ts')).demoCommand(flags)));
}

function parseLayers(value: string): GateLayer[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(LAYER_NAMES as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown layer "${name}"; layers: ${LAYER_NAMES.join(', ')}`);
  return names as GateLayer[];
}
