import { createWriteStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import { integer, numberIn } from '../flags.ts';
import { action, output } from '../run-command.ts';

/**
 * `shipgate traffic generate`: a realistic, seeded day of orders as JSONL or CSV.
 * `shipgate traffic scrub IN --out OUT`: the same traffic with every PII field replaced
 * by a keyed pseudonym (SHIPGATE_SCRUB_KEY), bad records set aside in the run folder's
 * quarantine.jsonl, and the accounting printed (exit 0 when it balances).
 * Modules load inside the actions so `shipgate --help` stays fast.
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
      action(async (options: GenerateCliOptions) => {
        const [{ generateDay, planDay }, { writeTraffic }] = await Promise.all([
          import('../../../scenarios/generate/day.ts'),
          import('../../../scenarios/traffic/write.ts'),
        ]);
        const format =
          options.format ?? (options.out && extname(options.out).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
        const generateOptions = {
          profile: options.profile,
          orders: options.orders,
          seed: options.seed,
          date: options.date,
          outOfOrder: options.outOfOrder,
        };
        let plan: ReturnType<typeof planDay>;
        try {
          plan = planDay(generateOptions);
        } catch (error) {
          throw shipgateError('SG_USAGE', {
            message: error instanceof Error ? error.message : String(error),
          });
        }
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        // A reader that stops early (`… | head`) closes stdout: that ends the day, not an error.
        const failed = new Promise<'closed'>((resolve, reject) =>
          out.once('error', (error: NodeJS.ErrnoException) => {
            if (!options.out && error.code === 'EPIPE') return resolve('closed');
            reject(
              shipgateError(
                'SG_FILE_UNWRITABLE',
                { file: options.out ?? 'stdout', reason: error.code ?? error.message },
                error,
              ),
            );
          }),
        );
        const written = await Promise.race([writeTraffic(generateDay(generateOptions), out, format), failed]);
        if (written === 'closed') return ExitCode.Pass;
        if (options.out) {
          out.end();
          await Promise.race([finished(out), failed]);
          const summary = { file: options.out, format, orders: written, ...plan };
          output(
            options.json,
            summary,
            () =>
              `wrote ${written} orders (${plan.profile} day ${plan.date}, seed "${plan.seed}") to ${options.out} as ${format}`,
          );
        }
        return ExitCode.Pass;
      }),
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
      action(async (input: string, options: ScrubCliOptions) => {
        const [{ scrubFile }, { scrubKeyFromEnv }, { createRunFolder }, { assertTrafficFile }] =
          await Promise.all([
            import('../../../scenarios/pii/scrub-file.ts'),
            import('../../../scenarios/pii/key.ts'),
            import('../../../core/run/run-folder.ts'),
            import('../../../scenarios/traffic/read.ts'),
          ]);
        const key = scrubKeyFromEnv();
        // A path that is no file is a usage error, before any run folder is made.
        assertTrafficFile(input);
        const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
        run.journal.append({
          type: 'traffic.scrub.started',
          input: basename(input),
          output: basename(options.out),
        });
        const result = await scrubFile({
          input,
          output: options.out,
          quarantineFile: run.path('quarantine.jsonl'),
          key,
          ...(options.format ? { format: options.format } : {}),
          ...(options.outFormat ? { outFormat: options.outFormat } : {}),
          notes: options.keepNotes ? 'detect' : 'replace',
        });
        const summary = { run: run.dir, ...result };
        run.writeJson('scrub.json', summary);
        run.journal.append({ type: 'traffic.scrub.finished', counts: result.counts });
        const { counts, reader } = result;
        output(options.json, summary, () =>
          [
            `scrubbed ${input} → ${options.out} (${result.outFormat})`,
            `read ${counts.read}  written ${counts.sent}  quarantined ${counts.quarantined}  (balanced)`,
            ...(counts.quarantined > 0
              ? [
                  `quarantined by reason: ${Object.entries(result.quarantinedByCode)
                    .map(([code, n]) => `${code} ${n}`)
                    .join(', ')}`,
                ]
              : []),
            ...(reader.bomStripped || reader.crlfLines > 0
              ? [`repaired: ${reader.bomStripped ? 'BOM stripped; ' : ''}${reader.crlfLines} CRLF line(s)`]
              : []),
            `quarantine: ${result.quarantineFile}`,
          ].join('\n'),
        );
        return ExitCode.Pass;
      }),
    );
}

interface GenerateCliOptions {
  profile: 'normal' | 'peak' | 'black-friday';
  orders: number;
  seed: string;
  date: string;
  outOfOrder: number;
  format?: 'jsonl' | 'csv';
  out?: string;
  json?: boolean;
}

interface ScrubCliOptions {
  out: string;
  format?: 'jsonl' | 'csv' | 'har';
  outFormat?: 'jsonl' | 'csv';
  runDir?: string;
  keepNotes?: boolean;
  json?: boolean;
}
