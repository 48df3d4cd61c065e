import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { type GateLayer, LAYER_NAMES } from '../../config/schema.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action, output, parsePositiveNumber } from '../run-command.ts';

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
    .action(action(async (flags: GateFlags) => gateCommand(flags)));

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
    .option('--speed <n>', 'virtual seconds per real second', parsePositive('--speed'), 3600)
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(action(async (flags: DemoFlags) => demoCommand(flags)));
}

interface GateFlags {
  config?: string;
  release?: string;
  layers?: GateLayer[];
  continueOnFailure?: boolean;
  canaryDefect?: string;
  runDir?: string;
  resume?: string;
  pushgateway?: string;
  json?: boolean;
}

interface DemoFlags {
  defect: string;
  speed: number;
  runDir?: string;
  json?: boolean;
}

async function gateCommand(flags: GateFlags): Promise<ExitCode> {
  if (flags.resume && flags.runDir)
    throw shipgateError('SG_USAGE', { message: 'give --resume DIR or --run-dir DIR, not both' });
  const [
    { loadConfig },
    { runGate },
    { progressLines },
    { isDefectName, DEFECT_NAMES },
    { pushgatewayTarget },
  ] = await Promise.all([
    import('../../config/load.ts'),
    import('../../gate/run.ts'),
    import('../../gate/progress.ts'),
    import('../../../sandbox/platform/defects.ts'),
    import('../../telemetry/self-metrics-run.ts'),
  ]);
  const { prepareResume } = await import('../../gate/resume.ts');
  const loaded = await loadConfig(flags.config ? { file: flags.config } : {});
  const config = loaded.resolved;
  if (flags.release) config.release.name = flags.release;
  if (flags.layers) config.layers = LAYER_NAMES.filter((l) => flags.layers?.includes(l));
  if (flags.continueOnFailure) config.continueOnFailure = true;
  if (flags.canaryDefect) {
    if (config.target.kind !== 'sandbox')
      throw shipgateError('SG_USAGE', {
        message: '--canary-defect only applies to the embedded sandbox target',
      });
    if (!isDefectName(flags.canaryDefect))
      throw shipgateError('SG_UNKNOWN_DEFECT', { name: flags.canaryDefect, known: DEFECT_NAMES.join(', ') });
    config.target.canaryDefect = flags.canaryDefect;
  }
  const pushgateway = pushgatewayTarget({
    ...(flags.pushgateway ? { flag: flags.pushgateway } : {}),
    ...(config.pushgateway ? { config: config.pushgateway } : {}),
  });
  const resume = flags.resume ? prepareResume(flags.resume, config) : undefined;
  if (flags.resume && resume?.kind === 'finished') {
    // Idempotent for CI retries: the recorded answer again, nothing re-run or re-actuated.
    const note = `the gate in ${flags.resume} already finished: ${resume.verdict.toUpperCase()} (exit ${resume.exitCode}); nothing to resume`;
    output(
      flags.json,
      { verdict: resume.verdict, exitCode: resume.exitCode, alreadyFinished: true, runDir: flags.resume },
      () => `shipgate: ${note}\nreport: ${join(flags.resume!, 'report.html')}`,
    );
    return resume.exitCode as ExitCode;
  }
  return withInterrupt(async (signal) => {
    const result = await runGate({
      config,
      ...(loaded.file ? { configFile: loaded.file } : {}),
      ...(flags.runDir || flags.resume ? { runDir: (flags.resume ?? flags.runDir)! } : {}),
      ...(resume?.kind === 'resume' ? { resume } : {}),
      resumeHint: true,
      ...(pushgateway ? { pushgateway } : {}),
      progress: progressLines({ quiet: flags.json === true }),
      signal,
    });
    printResult(result, flags.json);
    if (signal.aborted)
      process.stderr.write(
        `shipgate: interrupted; the gate is journaled in ${result.runDir}; finish it with: shipgate gate --resume ${result.runDir}\n`,
      );
    return result.exitCode;
  });
}

async function demoCommand(flags: DemoFlags): Promise<ExitCode> {
  const { runDemo } = await import('../../demo/demo.ts');
  const started = Date.now();
  return withInterrupt(async (signal) => {
    const result = await runDemo({
      defect: flags.defect,
      speed: flags.speed,
      ...(flags.runDir ? { runDir: flags.runDir } : {}),
      signal,
    });
    printResult(result, flags.json, `demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result.exitCode;
  });
}

type GateResult = Awaited<ReturnType<typeof import('../../gate/run.ts')['runGate']>>;

function printResult(result: GateResult, json: boolean | undefined, note?: string): void {
  const d = result.report.decision;
  output(
    json,
    {
      verdict: d.verdict,
      reason: d.reason,
      exitCode: result.exitCode,
      stoppedAt: result.stoppedAt ?? null,
      layers: Object.fromEntries(
        Object.entries(result.report.layers).map(([name, section]) => [
          name,
          { status: section.status, summary: section.summary },
        ]),
      ),
      canary: result.canary ?? null,
      resumed: result.resumed,
      runDir: result.runDir,
      files: result.files,
    },
    () =>
      [
        '',
        `${d.verdict === 'pass' ? 'PASS' : d.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE'}: ${d.reason}`,
        ...Object.entries(result.report.layers).map(
          ([name, section]) => `  ${name.padEnd(10)} ${section.status.padEnd(12)} ${section.summary}`,
        ),
        ...(result.canary
          ? [
              `  canary outcome: ${result.canary.outcome.replace('_', ' ')} (metric source: ${result.canary.source})`,
            ]
          : []),
        ...(note ? [note] : []),
        `report: ${result.files.html}`,
        `run folder: ${result.runDir}`,
      ].join('\n'),
  );
}

/**
 * Ctrl-C aborts the run: layers stop, the sandbox and any Prometheus the gate started
 * are stopped (by their own handles and pid), and the report says "interrupted". A
 * second Ctrl-C exits at once.
 */
async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      process.stderr.write(
        '\ninterrupted: stopping the layers and everything shipgate started (Ctrl-C again to quit now)\n',
      );
      controller.abort(new Error('interrupted'));
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
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

function parsePositive(name: string) {
  const parse = parsePositiveNumber(name);
  return (value: string) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}
