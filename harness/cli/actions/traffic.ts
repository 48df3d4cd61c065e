import { createWriteStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { finished } from 'node:stream/promises';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import { createRunFolder } from '../../../core/run/run-folder.ts';
import { generateDay, planDay } from '../../../scenarios/generate/day.ts';
import { scrubKeyFromEnv } from '../../../scenarios/pii/key.ts';
import { scrubFile } from '../../../scenarios/pii/scrub-file.ts';
import { type ConvertResult, convertTraffic } from '../../../scenarios/traffic/convert.ts';
import { loadTrafficMap } from '../../../scenarios/traffic/import/map-file.ts';
import { readExport } from '../../../scenarios/traffic/import/read-export.ts';
import { inspectTraffic, renderProfile } from '../../../scenarios/traffic/inspect.ts';
import { assertTrafficFile, readTraffic } from '../../../scenarios/traffic/read.ts';
import { writeTraffic } from '../../../scenarios/traffic/write.ts';
import { output } from '../run-command.ts';

export interface GenerateCliOptions {
  profile: 'normal' | 'peak' | 'black-friday';
  orders: number;
  seed: string;
  date: string;
  outOfOrder: number;
  format?: 'jsonl' | 'csv';
  out?: string;
  json?: boolean;
}

export interface ScrubCliOptions {
  out: string;
  format?: 'jsonl' | 'csv' | 'har';
  outFormat?: 'jsonl' | 'csv';
  runDir?: string;
  keepNotes?: boolean;
  json?: boolean;
}

export interface ImportCliOptions {
  map: string;
  out: string;
  runDir?: string;
  json?: boolean;
}

export interface InspectCliOptions {
  map?: string;
  format?: 'jsonl' | 'csv' | 'har';
  json?: boolean;
}

/** `traffic generate`: a seeded day written as JSONL or CSV, to a file or stdout (a reader that stops early ends it). */
export async function generateTraffic(options: GenerateCliOptions): Promise<ExitCode> {
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
}

/** `traffic scrub`: every PII field pseudonymised, bad records quarantined, the accounting printed. */
export async function scrubTraffic(input: string, options: ScrubCliOptions): Promise<ExitCode> {
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
  output(options.json, summary, () =>
    [`scrubbed ${input} → ${options.out} (${result.outFormat})`, ...accounting(result)].join('\n'),
  );
  return ExitCode.Pass;
}

/**
 * `traffic import`: a user's export through a map file. The map is checked before the
 * export is opened (a map mistake is exit 2 naming the map file and key); bad records
 * are quarantined as `replay` would. Exit 3 when not one record could be imported.
 */
export async function importTraffic(input: string, options: ImportCliOptions): Promise<ExitCode> {
  const map = loadTrafficMap(options.map);
  assertTrafficFile(input);
  const run = createRunFolder(options.runDir ? { dir: options.runDir } : {});
  run.journal.append({ type: 'traffic.import.started', input: basename(input), map: basename(options.map) });
  const result = await convertTraffic({
    reader: readExport(input, map),
    output: options.out,
    outFormat: extname(options.out).toLowerCase() === '.csv' ? 'csv' : 'jsonl',
    quarantineFile: run.path('quarantine.jsonl'),
  });
  const summary = { run: run.dir, map: options.map, ...result };
  run.writeJson('import.json', summary);
  run.journal.append({ type: 'traffic.import.finished', counts: result.counts });
  const nothing = result.counts.sent === 0;
  output(options.json, summary, () =>
    [
      `imported ${input} → ${options.out} (${result.outFormat}) through ${options.map}`,
      ...accounting(result),
      ...(nothing ? ['no record could be imported: check the map against quarantine.jsonl'] : []),
    ].join('\n'),
  );
  return nothing ? ExitCode.Inconclusive : ExitCode.Pass;
}

/** `traffic inspect`: a profile of the file (or of an export through --map); reads, sends nothing. */
export async function inspectTrafficFile(input: string, options: InspectCliOptions): Promise<ExitCode> {
  const reader = options.map
    ? readExport(input, loadTrafficMap(options.map))
    : readTraffic(input, options.format ? { format: options.format } : {});
  const profile = await inspectTraffic(reader);
  output(options.json, profile, () => renderProfile(profile));
  return ExitCode.Pass;
}

/** The accounting lines shared by scrub and import. */
function accounting(result: ConvertResult): string[] {
  const { counts, reader } = result;
  return [
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
  ];
}
