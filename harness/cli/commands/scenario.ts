import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import type { ImportK6Flags } from '../actions/import-k6.ts';
import type { RunFlags, Version } from '../actions/scenario.ts';
import type { ExportFlags } from '../actions/scenario-catalogue.ts';
import { collect, integer, oneOf, positiveNumber } from '../flags.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate scenario list | run | export | import-k6`: load and fault scenarios against
 * the embedded sandbox or a platform, their k6 export for load beyond one machine, and
 * a k6 run's summary mapped into shipgate's report.
 *
 * Users' own scenarios come from the config file (`extraScenarios`); a user scenario
 * with a built-in's name replaces it.
 */
export interface ScenarioCommandDeps {
  extraScenarios?: Scenario[];
}

const VERSIONS = ['stable', 'canary'] as const;
const load = () => import('../actions/scenario.ts');
const catalogue = () => import('../actions/scenario-catalogue.ts');

export function registerScenario(program: Command, deps: ScenarioCommandDeps = {}): void {
  const extra = deps.extraScenarios;
  const scenario = program.command('scenario').description('load and fault scenarios (peak days, outages)');
  const scale = (value: string) => {
    const n = Number(value);
    if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`--scale must be in (0, 1], got "${value}"`);
    return n;
  };

  scenario
    .command('list')
    .description('the scenario catalogue: load, faults and expectations of each')
    .option('--json', 'print as JSON')
    .action(action(async (options: { json?: boolean }) => (await catalogue()).listScenarios(options, extra)));

  scenario
    .command('run')
    .description('run a scenario; exit 1 when an SLO is missed')
    .argument('<name>', 'scenario name (shipgate scenario list)')
    .option(
      '--config <file>',
      'a config whose target (URLs of both builds, target.platform adapter) the scenario runs against',
    )
    .option(
      '--target <url>',
      'platform base URL (default: the config’s build URL, else the embedded sandbox)',
    )
    .option(
      '--admin <service=url>',
      'admin API of a fault target, e.g. parcelly=http://… (repeatable; token from SHIPGATE_ADMIN_TOKEN)',
      collect,
      [],
    )
    .option(
      '--version <build>',
      'build to run against: stable or canary',
      oneOf('--version', VERSIONS),
      'stable',
    )
    .option(
      '--canary-defect <name>',
      'embedded sandbox: the canary build’s defect (shipgate sandbox defects)',
    )
    .option(
      '--compare <a,b>',
      'run on both builds with the same orders and report each SLO’s difference',
      compare,
    )
    .option(
      '--speed <n>',
      'virtual seconds per real second, before --scale (default: the scenario’s)',
      positiveNumber('--speed'),
    )
    .option('--scale <f>', 'shrink volume (×f) and real duration (speed ÷ f), 0 < f ≤ 1', scale, 1)
    .option('--seed <seed>', 'order generator seed (default: the scenario name)')
    .option(
      '--latency <mode>',
      'embedded sandbox: realistic | none',
      oneOf('--latency', ['realistic', 'none']),
      'realistic',
    )
    .option(
      '--settle-timeout <ms>',
      'real-time bound on tracking deliveries after the load',
      positiveNumber('--settle-timeout'),
      60_000,
    )
    .option('--allow-host <host>', 'allow a target host besides loopback (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .addOption(pushgatewayOption())
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (name: string, options: RunFlags) =>
          (await (await load()).runScenarioCommand(name, options, extra)).exitCode,
      ),
    );

  scenario
    .command('export')
    .description('write a typed k6 script, its requests in the platform’s shape and a k6-operator TestRun')
    .argument('<name>', 'scenario name')
    .requiredOption('--k6 <out-dir>', 'directory to write script.ts, requests.json, testrun.yaml')
    .option(
      '--config <file>',
      'a config whose target.platform adapter shapes the requests (default: the sandbox’s API)',
    )
    .option(
      '--target <url>',
      'platform base URL the script sends to (default: the config’s target.canary, else http://127.0.0.1:8080)',
    )
    .option('--scale <f>', 'orders in the data file: the scenario’s volume × f', scale, 1)
    .option('--seed <seed>', 'order generator seed (default: the scenario name)')
    .option('--json', 'print the written paths as JSON')
    .action(
      action(async (name: string, options: ExportFlags) =>
        (await catalogue()).exportScenario(name, options, extra),
      ),
    );

  scenario
    .command('import-k6')
    .description('map a k6 run (summary.json and its exit code; 99 = thresholds failed) into a report')
    .argument('<summary>', 'the summary.json written by the exported script’s handleSummary')
    .requiredOption('--exit-code <n>', 'k6’s exit code', integer('--exit-code', 0, 255))
    .option('--scenario <name>', 'the scenario it ran')
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the section as JSON')
    .action(
      action(async (file: string, options: ImportK6Flags) =>
        (await import('../actions/import-k6.ts')).importK6(file, options),
      ),
    );
}

function compare(value: string): [Version, Version] {
  const version = oneOf('--compare', VERSIONS);
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts[0] === parts[1])
    throw new InvalidArgumentError('--compare takes two builds, e.g. stable,canary');
  return [version(parts[0]!), version(parts[1]!)];
}
