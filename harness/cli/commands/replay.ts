import { type Command, Option } from 'commander';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../../scenarios/replay/defaults.ts';
import { collect, integer, numberIn, positiveNumber } from '../flags.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate replay FILE --target URL [--baseline URL] [--second-baseline URL] ...`
 *
 * With --raw, replays recorded HTTP requests (HAR, GoReplay) as recorded instead, and
 * diffs the answers field by field (scenarios/raw).
 *
 * Replays recorded orders at the candidate (and, with --baseline, at the baseline and
 * optionally a second baseline, concurrently), reconciles what each platform did with
 * every order, diffs the decisions, and writes the run folder: results*.jsonl,
 * quarantine.jsonl, diff.json, replay.json and the reports. Exit 1 when an order was
 * lost or the decisions differ beyond the budget; 3 when it was interrupted or the
 * target could not be reached; 2 for usage errors (including a target not on the
 * allowlist, refused before any request).
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recorded orders against a platform, account for every order, diff against a baseline',
    )
    .argument('<file>', 'traffic file (.jsonl, .csv or .har), ideally scrubbed (shipgate traffic scrub)')
    .requiredOption('--target <url>', 'the candidate platform (base URL)')
    .option('--baseline <url>', 'the current platform, to diff decisions against')
    .option('--second-baseline <url>', 'a second instance of the baseline, to learn which fields are noise')
    .option(
      '--config <file>',
      "read the platform adapter (target.platform) from this config; default: the sandbox's API",
    )
    .option(
      '--speed <n|max>',
      'virtual seconds replayed per real second (1440: a day in a minute; max: no waiting); default: the target clock’s speed',
      parseSpeed,
    )
    .option('--multiply <n>', 'send each order n times with derived ids (x10 peak)', parseMultiply, 1)
    .option(
      '--concurrency <n>',
      'most requests in flight per target',
      integer('--concurrency'),
      DEFAULT_REPLAY_CONCURRENCY,
    )
    .option('--timeout <ms>', 'per-request timeout', positiveNumber('--timeout'), 10_000)
    .option(
      '--settle-timeout <ms>',
      'how long to wait for accepted orders to finish processing',
      positiveNumber('--settle-timeout'),
      30_000,
    )
    .option(
      '--diff-budget <share>',
      'max share of orders with unexplained differences (0..1)',
      numberIn('--diff-budget', 0, 1),
      0.01,
    )
    .option(
      '--allow-host <host>',
      'allow a host, IP or CIDR besides loopback (repeatable)',
      collect,
      [] as string[],
    )
    .addOption(
      new Option('--format <format>', 'traffic format when the extension does not tell').choices([
        'jsonl',
        'csv',
        'har',
        'gor',
      ]),
    )
    .option(
      '--raw',
      'replay recorded HTTP requests (HAR, GoReplay .gor) as recorded and diff the answers field by field: no order model',
    )
    .option(
      '--header <header>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VARIABLE} is the --header flag's own syntax
      'with --raw: set on every request, "Name: value" or "Name: [prefix]${VARIABLE}" (credentials from the environment only; repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--endpoint <template>',
      'with --raw: a path template naming an endpoint the id heuristic misses, e.g. "/users/{user}" (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--resume <run-dir>',
      'continue an interrupted run from its results files (no order is sent twice)',
    )
    .option(
      '--out <run-dir>',
      'a new run folder to write (default .shipgate/runs/<time>-<id>); one that holds a run is refused: use --resume',
    )
    .option('--no-progress', 'no progress output')
    .addOption(pushgatewayOption())
    .option('--json', 'print the result as JSON')
    .action(
      action(async (file: string, options: ReplayCommandOptions) =>
        options.raw
          ? (await (await import('../actions/replay-raw.ts')).runRawReplayCommand(file, options)).exitCode
          : (await (await import('../actions/replay.ts')).runReplayCommand(file, options)).exitCode,
      ),
    );
}

export interface ReplayCommandOptions {
  target: string;
  baseline?: string;
  secondBaseline?: string;
  /** A shipgate config whose target.platform says how the targets' order API is spoken. */
  config?: string;
  speed?: number;
  multiply: number;
  concurrency: number;
  timeout: number;
  settleTimeout: number;
  diffBudget: number;
  allowHost: string[];
  format?: 'jsonl' | 'csv' | 'har' | 'gor';
  /** Raw HTTP replay of a HAR or GoReplay recording (actions/replay-raw.ts). */
  raw?: boolean;
  header?: string[];
  endpoint?: string[];
  resume?: string;
  out?: string;
  /** Push shipgate's own metrics to this Pushgateway (else SHIPGATE_PUSHGATEWAY_URL, else nowhere). */
  pushgateway?: string;
  progress: boolean;
  json?: boolean;
  /** Tests: where progress goes (default stderr). */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Tests and embedding: aborting behaves like Ctrl-C. */
  signal?: AbortSignal;
  /** Tests: reconciliation poll interval. */
  pollIntervalMs?: number;
}

const parseMultiply = integer('--multiply', 1, 1000);
const parseSpeed = (value: string): number =>
  value === 'max' ? Number.POSITIVE_INFINITY : positiveNumber('--speed')(value);
