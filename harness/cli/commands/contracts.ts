import { type Command, Option } from 'commander';
import type { RecordDeploymentOptions } from '../actions/record-deployment.ts';
import { integer } from '../flags.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate contracts test|verify|can-i-deploy|record-deployment`: the contracts layer.
 *
 *   test          the platform's consumer specs against Pact mocks; writes the pacts
 *   verify        every pact against running providers: the config's contracts.providers
 *                 (--config), --provider NAME --base-url URL, or the sandbox's
 *   record-deployment / record-release   tell the broker where a version now runs
 *   can-i-deploy  asks the Pact Broker (PACT_BROKER_BASE_URL / PACT_BROKER_TOKEN);
 *                 without a broker, runs test + verify locally and answers from that
 *
 * Each writes a run folder (report.json with a contracts section, report.md, report.html,
 * junit.xml, journal.jsonl, pacts/). Exit 1 on a broken contract, naming the provider,
 * the interaction, the field, expected vs actual; 3 when there is no verdict.
 */
export function registerContracts(program: Command): void {
  const contracts = program
    .command('contracts')
    .description('consumer-driven contract tests of carrier and inventory integrations');
  const run = (sub: ContractsSubcommand) =>
    action(async (options: TestOptions | VerifyOptions | CanIDeployOptions) => {
      const { runContractsCommand } = await import('../actions/contracts.ts');
      return (await runContractsCommand(sub, options)).exitCode;
    });

  contracts
    .command('test')
    .description('run the platform’s consumer specs against Pact mock servers and write the pacts')
    .option('--defect <name>', 'exercise the canary build’s client with this defect (e.g. unit-mismatch)')
    .option('--pact-dir <dir>', 'where pact files are written', '.shipgate/pacts')
    .option('--provider <name...>', 'only these providers (parcelly, labelfast, steppe, inventory)')
    .option(
      '--consumer-version <v>',
      'with a broker: publish the pacts for this consumer version when they pass',
    )
    .option('--branch <branch>', 'with a broker: the consumer’s branch for the published pacts')
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(run('test'));

  contracts
    .command('verify')
    .description('verify every pact against running providers (configured, given, or the sandbox’s)')
    .option('--config <file>', 'verify the config’s contracts.providers (base URLs, states, headers)')
    .option('--provider <name>', 'verify only this provider (required with --base-url)')
    .option(
      '--base-url <url>',
      'the provider’s base URL (e.g. a carrier’s staging endpoint) instead of the sandbox',
    )
    .option('--state-change-url <url>', 'with --base-url: the provider’s Pact state-change URL (or a path)')
    .addOption(new Option('--api-key <key>', 'the provider’s API key').env('SHIPGATE_PROVIDER_API_KEY'))
    .addOption(
      new Option('--admin-token <token>', 'bearer token of the provider’s /admin/provider-state').env(
        'SHIPGATE_PROVIDER_ADMIN_TOKEN',
      ),
    )
    .option('--pact-dir <dir>', 'where the pact files are (default: the config’s, else .shipgate/pacts)')
    .option('--provider-version <v>', 'with a broker: the provider version the results are published for')
    .option('--provider-branch <branch>', 'with a broker: the provider’s branch')
    .option(
      '--include-wip-since <date>',
      'with a broker: also verify work-in-progress pacts since YYYY-MM-DD',
    )
    .option(
      '--generative [runs]',
      'also run the generative checks (runs per provider; default SHIPGATE_GENERATIVE_RUNS or 50)',
      integer('--generative'),
    )
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(run('verify'));

  contracts
    .command('record-deployment')
    .description('tell the Pact Broker that a version is now deployed to an environment')
    .requiredOption('--version <v>', 'the deployed version')
    .option('--pacticipant <name>', 'the application deployed', 'shipgate-platform')
    .option('--environment <env>', 'where it was deployed', 'production')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (options: RecordDeploymentOptions) =>
        (await import('../actions/record-deployment.ts')).recordDeployment(options),
      ),
    );

  contracts
    .command('record-release')
    .description('tell the Pact Broker that a version is released to an environment (one of several)')
    .requiredOption('--version <v>', 'the released version')
    .requiredOption('--pacticipant <name>', 'the application released')
    .option('--environment <env>', 'where it was released', 'production')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (options: RecordDeploymentOptions) =>
        (await import('../actions/record-deployment.ts')).recordDeployment(options, 'release'),
      ),
    );

  contracts
    .command('can-i-deploy')
    .description('may this version be deployed? (Pact Broker when configured, else test + verify locally)')
    .option('--pacticipant <name>', 'the application asking', 'shipgate-platform')
    .option('--version <v>', 'its version (required with a broker)')
    .option('--to-environment <env>', 'the target environment', 'production')
    .option('--pact-dir <dir>', 'without a broker: the local pact folder (default .shipgate/pacts)')
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(run('can-i-deploy'));
}

interface CommonOptions {
  /** Default: the config's contracts.pactDir, else `.shipgate/pacts`. */
  pactDir?: string;
  out?: string;
  json?: boolean;
}
export interface TestOptions extends CommonOptions {
  defect?: string;
  provider?: string[];
  consumerVersion?: string;
  branch?: string;
}
/** `--api-key` / `--admin-token` default to SHIPGATE_PROVIDER_API_KEY / SHIPGATE_PROVIDER_ADMIN_TOKEN (commander's env). */
export interface VerifyOptions extends CommonOptions {
  /** A shipgate config whose `contracts.providers` (and broker) say what to verify where. */
  config?: string;
  provider?: string;
  baseUrl?: string;
  stateChangeUrl?: string;
  apiKey?: string;
  adminToken?: string;
  providerVersion?: string;
  providerBranch?: string;
  includeWipSince?: string;
  generative?: boolean | number;
}
export interface CanIDeployOptions extends CommonOptions {
  pacticipant: string;
  version?: string;
  toEnvironment: string;
}
export type ContractsSubcommand = 'test' | 'verify' | 'can-i-deploy';
