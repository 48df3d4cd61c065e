import type { ResolvedConfig } from '../config/resolve.ts';
import { type GateLayer, LAYER_NAMES } from '../config/schema.ts';
import { isShipgateError } from '../errors.ts';
import type { ExitCode } from '../exit-codes.ts';
import { buildReport } from '../report/build.ts';
import type { Report } from '../report/model.ts';
import { type WrittenReports, writeReports } from '../report/write.ts';
import { createRunFolder, openRunFolder, type RunFolder } from '../run/run-folder.ts';
import { type PushgatewayTarget, withSelfMetrics } from '../telemetry/self-metrics-run.ts';
import { runCanary } from './layers/canary.ts';
import { runContracts } from './layers/contracts.ts';
import { runReplay } from './layers/replay.ts';
import { runScenarios } from './layers/scenarios.ts';
import { type GateProgress, progressLines, withEvents } from './progress.ts';
import { skippedSection } from './skipped.ts';
import { type GateTarget, startTarget } from './target.ts';

export interface GateOptions {
  config: ResolvedConfig;
  /** Where the config came from, for the journal. */
  configFile?: string;
  /** Run folder (default a new one under config.runsDir or .shipgate/runs). */
  runDir?: string;
  progress?: GateProgress;
  signal?: AbortSignal;
  /** Push shipgate's own metrics here while the gate runs (see harness/telemetry). */
  pushgateway?: PushgatewayTarget;
  /** Tests: the push interval (default 15 s). */
  pushIntervalMs?: number;
  /** Called once the target is up (the demo names the metric source, tests peek). */
  onTarget?: (target: GateTarget) => void;
}

export interface GateResult {
  report: Report;
  runDir: string;
  files: WrittenReports;
  exitCode: ExitCode;
  /** The first layer that did not pass, in gate order. */
  stoppedAt?: GateLayer;
  /** Canary outcome and metric source, when the canary layer ran. */
  canary?: { outcome: 'promoted' | 'rolled_back' | 'held'; source: string };
}

type Section = NonNullable<Report['layers'][GateLayer]>;

/**
 * `shipgate gate`: the configured layers in order (contracts → replay → scenarios →
 * canary) against one target, stopping at the first layer that does not pass unless
 * continueOnFailure, and one run folder with one report covering all of them.
 *
 * A layer that throws (an outage, a provider that cannot start) is recorded as
 * inconclusive with the error — no evidence, never a pass — and stops the gate like a
 * failure would. Usage errors (a bad config value) still end the command with exit 2.
 */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const { config } = options;
  const run: RunFolder = options.runDir
    ? openRunFolder(options.runDir)
    : createRunFolder(config.runsDir ? { root: config.runsDir } : {});
  // The final push happens whatever the gate ends in: the dashboard shows how far it got.
  return withSelfMetrics(
    {
      runId: run.id,
      plan: { layers: config.layers, scenarios: config.scenarios.run },
      ...(options.pushgateway ? { pushgateway: options.pushgateway } : {}),
      ...(options.pushIntervalMs ? { intervalMs: options.pushIntervalMs } : {}),
    },
    (telemetry) => gate(options, run, withEvents(options.progress ?? progressLines(), telemetry.events)),
  );
}

async function gate(options: GateOptions, run: RunFolder, progress: GateProgress): Promise<GateResult> {
  const { config } = options;
  const startedAt = new Date();
  run.journal.append({
    type: 'gate.started',
    release: config.release.name,
    layers: config.layers,
    continueOnFailure: config.continueOnFailure,
    target: config.target.kind,
    ...(config.target.kind === 'sandbox' ? { canaryDefect: config.target.canaryDefect } : {}),
    ...(options.configFile ? { config: options.configFile } : {}),
  });
  progress(
    `gate: release "${config.release.name}", layers ${config.layers.join(' → ')}; run folder ${run.dir}`,
  );

  const target = await startTarget(config);
  options.onTarget?.(target);
  progress(`gate: target ${target.description}`);
  const layers: Report['layers'] = {};
  const put = (layer: GateLayer, section: Section) => {
    (layers as Record<GateLayer, Section>)[layer] = section;
    progress.layerFinished?.(layer, section);
  };
  let stoppedAt: GateLayer | undefined;
  let canary: GateResult['canary'];
  try {
    for (const layer of LAYER_NAMES) {
      if (!config.layers.includes(layer)) {
        continue;
      }
      if (stoppedAt && !config.continueOnFailure) {
        put(layer, skippedSection(layer, `Not run: the gate stopped at the ${stoppedAt} layer.`));
        continue;
      }
      if (options.signal?.aborted) {
        put(layer, skippedSection(layer, 'Not run: the gate was interrupted.'));
        continue;
      }
      const began = Date.now();
      progress.layer?.(config.layers.indexOf(layer), config.layers.length, layer);
      run.journal.append({ type: 'gate.layer.started', layer });
      let section: Section;
      try {
        switch (layer) {
          case 'contracts':
            section = await runContracts(config, target, run, progress);
            break;
          case 'replay':
            section = await runReplay(config, target, run, progress, options.signal);
            break;
          case 'scenarios':
            section = await runScenarios(config, target, progress, options.signal);
            break;
          case 'canary': {
            const result = await runCanary(config, target, run, progress, options.signal);
            canary = { outcome: result.outcome, source: result.source };
            section = result.section;
            break;
          }
        }
      } catch (error) {
        if (isShipgateError(error) && error.exitCode === 2) throw error;
        const message = error instanceof Error ? error.message : String(error);
        section = skippedSection(layer, `Could not run: ${message}`);
        section.status = 'inconclusive';
        section.checks = [
          {
            id: `${layer}/run`,
            layer,
            title: `The ${layer} layer ran`,
            status: 'inconclusive',
            message: `The ${layer} layer could not run (${message}); this is no evidence either way.`,
            evidence: {},
          },
        ];
      }
      put(layer, section);
      run.journal.append({
        type: 'gate.layer.finished',
        layer,
        status: section.status,
        durationMs: Date.now() - began,
      });
      progress(
        `${layer}: ${section.status.toUpperCase()} — ${section.summary} (${((Date.now() - began) / 1000).toFixed(1)} s)`,
      );
      if (section.status !== 'pass' && section.status !== 'skipped' && !stoppedAt) stoppedAt = layer;
    }
  } finally {
    progress.stop?.();
    await target.stop();
  }

  const report = buildReport({
    runId: run.id,
    command: 'gate',
    release: {
      name: config.release.name,
      candidateVersion: config.release.candidateVersion,
      baselineVersion: config.release.baselineVersion,
      ...(config.release.commit ? { commit: config.release.commit } : {}),
      target: target.description,
    },
    startedAt,
    finishedAt: new Date(),
    layers,
  });
  const files = writeReports(run, report);
  const exitCode = (report.decision.exitCode ?? 3) as ExitCode;
  run.journal.append({
    type: 'gate.finished',
    verdict: report.decision.verdict,
    exitCode,
    ...(stoppedAt ? { stoppedAt } : {}),
  });
  return {
    report,
    runDir: run.dir,
    files,
    exitCode,
    ...(stoppedAt ? { stoppedAt } : {}),
    ...(canary ? { canary } : {}),
  };
}
