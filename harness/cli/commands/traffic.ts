import type { Command } from 'commander';
import { Option } from 'commander';
import type {
  GenerateCliOptions,
  ImportCliOptions,
  InspectCliOptions,
  ScrubCliOptions,
} from '../actions/traffic.ts';
import { integer, numberIn } from '../flags.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate traffic generate`: a realistic, seeded day of orders as JSONL or CSV.
 * `shipgate traffic scrub IN --out OUT`: the same traffic with every PII field replaced
 * by a keyed pseudonym (SHIPGATE_SCRUB_KEY), bad records set aside in the run folder's
 * quarantine.jsonl, and the accounting printed (exit 0 when it balances).
 * `shipgate traffic import EXPORT --map MAP --out OUT`: a user's own CSV/JSON export as
 * traffic, through a map file. `shipgate traffic inspect FILE`: what a file holds.
 */
export function registerTraffic(program: Command): void {
  const traffic = program
    .command('traffic')
    .description('generate realistic order traffic and scrub recorded traffic of PII');

  traffic
    .command('generate')
    .description('write a seeded, realistic day of orders (diurnal curve, cutoff rush, regions, SKUs)')
    .addOption(
      new Option('--profile <profile>', 'volume profile')
        .choices(['normal', 'peak', 'black-friday'])
        .default('normal'),
    )
    .option(
      '--orders <n>',
      'orders on a normal day; peak is ×10, black-friday ×7 with a ×50 two-hour burst',
      integer('--orders'),
      650,
    )
    .option('--seed <seed>', 'seed: the same seed gives the same orders', 'shipgate')
    .option('--date <yyyy-mm-dd>', 'the day (UTC)', '2026-11-27')
    .option(
      '--out-of-order <share>',
      'share of records logged late (createdAt out of file order), 0–1',
      numberIn('--out-of-order', 0, 1),
      0,
    )
    .addOption(
      new Option('--format <format>', 'output format (default: from --out, else jsonl)').choices([
        'jsonl',
        'csv',
      ]),
    )
    .option('--out <file>', 'write here instead of stdout')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (options: GenerateCliOptions) =>
        (await import('../actions/traffic.ts')).generateTraffic(options),
      ),
    );

  traffic
    .command('scrub')
    .description(
      'replace every PII field with a keyed pseudonym (needs SHIPGATE_SCRUB_KEY); quarantine bad records',
    )
    .argument('<in>', 'traffic file (.jsonl, .csv or .har)')
    .requiredOption('--out <file>', 'scrubbed traffic file to write')
    .addOption(
      new Option('--format <format>', 'input format (default: from the extension)').choices([
        'jsonl',
        'csv',
        'har',
      ]),
    )
    .addOption(
      new Option('--out-format <format>', 'output format (default: the input’s; HAR → jsonl)').choices([
        'jsonl',
        'csv',
      ]),
    )
    .option(
      '--run-dir <dir>',
      'run folder for quarantine.jsonl and the journal (default: a new one under .shipgate/runs)',
    )
    .option(
      '--keep-notes',
      'keep note text, replacing only emails, phones and streets found in it (default: replace whole notes)',
    )
    .option('--json', 'print the accounting as JSON')
    .action(
      action(async (input: string, options: ScrubCliOptions) =>
        (await import('../actions/traffic.ts')).scrubTraffic(input, options),
      ),
    );

  traffic
    .command('import')
    .description("turn your order system's CSV or JSON export into traffic, through a map file")
    .argument('<export>', 'the export (.csv, .jsonl or .json; or set format in the map)')
    .requiredOption('--map <file>', 'map file (YAML or JSON): order field → JSONata expression over a record')
    .requiredOption('--out <file>', 'traffic file to write (.jsonl, or .csv)')
    .option(
      '--run-dir <dir>',
      'run folder for quarantine.jsonl and the journal (default: a new one under .shipgate/runs)',
    )
    .option('--json', 'print the accounting as JSON')
    .action(
      action(async (input: string, options: ImportCliOptions) =>
        (await import('../actions/traffic.ts')).importTraffic(input, options),
      ),
    );

  traffic
    .command('inspect')
    .description(
      'counts, time span, hourly curve, regions and service levels of a traffic file, and what would be quarantined',
    )
    .argument('<file>', 'traffic file (.jsonl, .csv, .har), or an export with --map')
    .option('--map <file>', 'read a raw export through this map file (as traffic import does)')
    .addOption(
      new Option('--format <format>', 'input format (default: from the extension)').choices([
        'jsonl',
        'csv',
        'har',
      ]),
    )
    .option('--json', 'print the profile as JSON')
    .action(
      action(async (input: string, options: InspectCliOptions) =>
        (await import('../actions/traffic.ts')).inspectTrafficFile(input, options),
      ),
    );
}
