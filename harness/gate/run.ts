import { isShipgateError } from '../../core/errors.ts';
import type { ExitCode } from '../../core/exit-codes.ts';
import type { Report } from '../../core/report/model.ts';
import { createRunFolder, openRunFolder, type RunFolder } from '../../core/run/run-folder.ts';
import { type GateLayer, LAYER_NAMES } from '../config/layers.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { buildReport } from '../report/build.ts';
import { type WrittenReports, writeReports } from '../report/write.ts';
import { type GateTarget, startTarget } from '../targets/gate-target.ts';
import { type PushgatewayTarget, withSelfMetrics } from '../telemetry/self-metrics-run.ts';
import { type GateProgress, progressLines, withEvents } from './progress.ts';
import type { ResumableGate } from './resume.ts';
import type { LayerAction } from './resume-plan.ts';
import { skippedSection } from './skipped.ts';

export interface GateOptions {
  config: ResolvedConfig;
  /** Where the config came from, for the journal. */
  configFile?: string;
  /** Run folder (default a new one under config.runsDir or .shipgate/runs). */
  runDir?: string;
  /**
   * Resume the interrupted gate in `runDir` (plan from `prepareResume`): finished layers
   * come back from the journal, the interrupted one resumes or re-runs, the rest run.
   */
  resume?: ResumableGate;
  /** Name the `shipgate gate --resume` command in the progress (the CLI; a demo is not resumed). */
  resumeHint?: boolean;
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
  /** True when this call finished a gate an earlier process had started (`--resume`). */
  resumed: boolean;
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
  const { config, resume } = options;
  const startedAt = resume?.startedAt ? new Date(resume.startedAt) : new Date();
  const plan = new Map<GateLayer, LayerAction>(resume?.layers.map((a) => [a.layer, a]));
  if (resume) {
    const of = (action: LayerAction['action']) =>
      resume.layers.filter((a) => a.action === action).map((a) => a.layer);
    run.journal.append({
      type: 'gate.resumed',
      restored: of('restore'),
      resumed: of('resume'),
      rerun: of('rerun'),
      ...(options.configFile ? { config: options.configFile } : {}),
    });
    progress(`gate: resuming the interrupted gate in ${run.dir}`);
    for (const a of resume.layers) {
      if (a.action === 'restore')
        progress(
          `gate: ${a.layer} finished before the interruption (${a.section.status}); restored, not re-run`,
        );
      if (a.action === 'resume')
        progress(`gate: ${a.layer} was interrupted; resuming it from the run's journal`);
      if (a.action === 'rerun')
        progress(`gate: ${a.layer} was interrupted; re-running it from scratch: ${a.why}`);
    }
  } else
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
    `gate: release "${config.release.name}", layers ${config.layers.join(' → ')}; run folder ${run.dir}${
      options.resumeHint ? ` (if this process dies, finish it with: shipgate gate --resume ${run.dir})` : ''
    }`,
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
      const step = plan.get(layer);
      if (step?.action === 'restore') {
        put(layer, restoredSection(step.section));
        if (step.section.status !== 'pass' && step.section.status !== 'skipped' && !stoppedAt)
          stoppedAt = layer;
        continue;
      }
      if (options.signal?.aborted) {
        put(layer, skippedSection(layer, 'Not run: the gate was interrupted.'));
        continue;
      }
      const began = Date.now();
      const resuming = step?.action === 'resume';
      progress.layer?.(config.layers.indexOf(layer), config.layers.length, layer);
      // A resumed layer keeps its journal (the canary's rollout events follow its one
      // `gate.layer.started`); a re-run starts a new one.
      run.journal.append({ type: resuming ? 'gate.layer.resumed' : 'gate.layer.started', layer });
      let section: Section;
      try {
        // A layer's code is loaded when it runs (as the CLI loads a command's action): a
        // contracts-only gate never loads the canary's, nor a canary-only one Pact's core.
        switch (layer) {
          case 'contracts':
            section = await (await import('./layers/contracts.ts')).runContracts(
              config,
              target,
              run,
              progress,
            );
            break;
          case 'replay': {
            const { runReplay } = await import('./layers/replay.ts');
            section = await runReplay(config, target, run, progress, options.signal, step?.action);
            break;
          }
          case 'scenarios':
            section = await (await import('./layers/scenarios.ts')).runScenarios(
              config,
              target,
              progress,
              options.signal,
            );
            break;
          case 'canary': {
            const { runCanary } = await import('./layers/canary.ts');
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
      if (resuming) section = { ...section, summary: `${section.summary} (resumed after an interruption)` };
      put(layer, section);
      // Interrupted, the layer's section is not final: it stays resumable (no
      // `gate.layer.finished`), and so does the gate (no `gate.finished`).
      if (!options.signal?.aborted)
        // The section is what report.json holds (PII-free): a resumed gate restores it.
        run.journal.append({
          type: 'gate.layer.finished',
          layer,
          status: section.status,
          durationMs: Date.now() - began,
          section,
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
    type: options.signal?.aborted ? 'gate.interrupted' : 'gate.finished',
    verdict: report.decision.verdict,
    exitCode,
    ...(stoppedAt ? { stoppedAt } : {}),
  });
  return {
    report,
    runDir: run.dir,
    files,
    exitCode,
    resumed: resume !== undefined,
    ...(stoppedAt ? { stoppedAt } : {}),
    ...(canary ? { canary } : {}),
  };
}

/** A layer finished before the interruption, as it was, saying so. */
function restoredSection(section: Section): Section {
  return {
    ...section,
    summary: `${section.summary} (restored from the journal: finished before the interruption, not re-run)`,
  };
}
