import { join } from 'node:path';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import { DEFECT_NAMES, isDefectName } from '../../../sandbox/platform/defects.ts';
import { type GateLayer, LAYER_NAMES } from '../../config/layers.ts';
import { loadConfig, requireOrderUrls } from '../../config/load.ts';
import { runDemo } from '../../demo/demo.ts';
import { progressLines } from '../../gate/progress.ts';
import { prepareResume } from '../../gate/resume.ts';
import { type GateResult, runGate } from '../../gate/run.ts';
import { pushgatewayTarget } from '../../telemetry/self-metrics-run.ts';
import { withInterrupt } from '../interrupt.ts';
import { output } from '../run-command.ts';

export interface GateFlags {
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

export interface DemoFlags {
  defect: string;
  speed: number;
  runDir?: string;
  json?: boolean;
}

export async function gateCommand(flags: GateFlags): Promise<ExitCode> {
  if (flags.resume && flags.runDir)
    throw shipgateError('SG_USAGE', { message: 'give --resume DIR or --run-dir DIR, not both' });
  const loaded = await loadConfig(flags.config ? { file: flags.config } : {});
  const config = loaded.resolved;
  if (flags.release) config.release.name = flags.release;
  if (flags.layers) {
    config.layers = LAYER_NAMES.filter((l) => flags.layers?.includes(l));
    if (config.target.kind === 'urls')
      requireOrderUrls(config.target, config.layers, loaded.file ?? '(defaults)');
  }
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

export async function demoCommand(flags: DemoFlags): Promise<ExitCode> {
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
