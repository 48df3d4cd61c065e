import { Command, CommanderError } from 'commander';
import { ExitCode } from '../../core/exit-codes.ts';
import { version } from '../version.ts';
import { registerCanary } from './commands/canary.ts';
import { registerContracts } from './commands/contracts.ts';
import { registerDashboards } from './commands/dashboards.ts';
import { registerGate } from './commands/gate.ts';
import { registerReplay } from './commands/replay.ts';
import { registerReport } from './commands/report.ts';
import { registerSandbox } from './commands/sandbox.ts';
import { registerScenario } from './commands/scenario.ts';
import { registerTraffic } from './commands/traffic.ts';

/**
 * `shipgate`: one program, a subcommand per layer. Each command module registers its
 * own subcommands (harness/cli/commands/<layer>.ts), so layers stay independent.
 */
export function buildProgram(): Command {
  const program = new Command('shipgate')
    .description('Release-safety harness for order logistics platforms')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerGate(program);
  registerSandbox(program);
  registerContracts(program);
  registerTraffic(program);
  registerReplay(program);
  registerScenario(program);
  registerCanary(program);
  registerReport(program);
  registerDashboards(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage errors with 2.
      process.exitCode = error.exitCode === 0 ? ExitCode.Pass : ExitCode.Usage;
      return;
    }
    throw error;
  }
}
