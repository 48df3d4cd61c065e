import { shipgateError } from '../../core/errors.ts';
import type { CanaryLayer } from '../../core/report/model.ts';
import type { RunFolder } from '../../core/run/run-folder.ts';
import type { Actuator } from '../actuators/actuator.ts';
import { type BlastRadiusExport, exportBlastRadius } from '../blast-radius/export.ts';
import type { CanaryEvent } from '../journal/events.ts';
import { openCanaryJournal, type ReadOptions } from '../journal/journal.ts';
import { JUDGES } from '../judges/index.ts';
import { CATALOGUE, type MetricDecl } from '../metrics/catalogue.ts';
import type { MetricSource } from '../sources/source.ts';
import { type RolloutClock, wallClock } from './clock.ts';
import type { RolloutConfig } from './config.ts';
import { noSeriesError } from './no-series.ts';
import { canarySection } from './report.ts';
import { type RolloutOutcome, rolloutVersions, runRollout } from './rollout.ts';
import type { Versions } from './series.ts';

/**
 * The canary layer's one runner, for `shipgate canary run` and the gate's canary layer
 * alike: options in (a metric source and an actuator already built, the rollout
 * settings, the run folder), the report section out. It never starts a target: the
 * harness builds the sandbox world (or reads the user's URLs) and hands the source and
 * the actuator in. The journal makes it resumable; after a rollback it exports the
 * blast radius when told where the canary's orders are.
 */
export interface CanaryLayerOptions {
  source: MetricSource;
  /** The source in words for the report, e.g. "prometheus http://127.0.0.1:9090". */
  sourceName: string;
  actuator: Actuator;
  run: Pick<RunFolder, 'dir' | 'journal' | 'writeText'>;
  /** Ignored when resuming: the journaled settings win. */
  rollout?: Partial<RolloutConfig>;
  judge?: keyof typeof JUDGES;
  /** The label values of the candidate and the baseline (release.candidateVersion / baselineVersion). */
  versions?: Versions;
  metrics?: readonly MetricDecl[];
  /** Default wall time; the sandbox's virtual clock runs the rollout in platform time. */
  clock?: RolloutClock;
  /** Virtual seconds per real second, for the report. */
  speed?: number;
  /** After a rollback, list the canary's orders here and write blast-radius.csv. */
  blastRadius?: { canaryUrl: string };
  /** Continue the rollout journaled in `run`; refused when the journal holds none. */
  resume?: boolean;
  /** A journal holding more than one rollout: the current one follows the last line this matches. */
  startAfter?: ReadOptions['startAfter'];
  signal?: AbortSignal;
  /** Each journaled event, for progress lines and telemetry. */
  onEvent?: (event: CanaryEvent) => void;
  /** Called once the rollout has finished, before the blast radius is read (e.g. stop sending traffic). */
  afterRollout?: () => Promise<void>;
  /** Lines about what happened after the decision (the blast radius). */
  progress?: (line: string) => void;
}

export interface CanaryLayerResult {
  section: CanaryLayer;
  outcome: RolloutOutcome;
  /** The versions the rollout compared (the journaled ones when resumed). */
  versions: Versions;
  blastRadius?: BlastRadiusExport;
}

export async function runCanaryLayer(options: CanaryLayerOptions): Promise<CanaryLayerResult> {
  const { source, run } = options;
  const metrics = options.metrics ?? CATALOGUE;
  const journal = openCanaryJournal(
    run.journal,
    options.startAfter ? { startAfter: options.startAfter } : {},
  );
  if (options.resume && !journal.existing.some((e) => e.type === 'canary.started'))
    throw shipgateError('SG_USAGE', { message: `${run.dir}: the journal holds no canary rollout to resume` });
  const versions = rolloutVersions(journal, options.versions);
  // A typo in a query is a config error (exit 2) before anything moves, not a stream of no-data.
  await source.preflight?.(metrics, [versions.canary, versions.baseline]);
  const judge = options.judge ?? 'sequential';
  const clock = options.clock ?? wallClock;
  const outcome = await runRollout({
    source,
    actuator: options.actuator,
    journal,
    metrics,
    versions,
    clock,
    judge: JUDGES[judge],
    judgeName: judge,
    ...(options.rollout ? { config: options.rollout } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: (event) => options.onEvent?.(event) } : {}),
  });
  await options.afterRollout?.();
  // A query that matches nothing is the config's fault (exit 2), named, after the rollback.
  const misconfigured = noSeriesError(outcome, metrics, versions, options.sourceName);
  if (misconfigured) throw misconfigured;
  const blastRadius =
    outcome.outcome === 'rolled_back' && options.blastRadius
      ? await blastRadiusAfterRollback(options.blastRadius.canaryUrl, options, clock)
      : undefined;
  const queries = source.describeQuery
    ? Object.fromEntries(
        metrics.map((m) => [m.id, source.describeQuery!(m, [versions.canary, versions.baseline])]),
      )
    : undefined;
  const section = canarySection(outcome.run, outcome.config, {
    source: options.sourceName,
    ...(queries ? { queries } : {}),
    clock: clock.kind,
    judgeName: judge,
    ...(options.speed ? { speed: options.speed } : {}),
    ...(blastRadius ? { blastRadius: blastRadius.section } : {}),
  });
  return { section, outcome, versions, ...(blastRadius ? { blastRadius } : {}) };
}

/** An unreachable canary after a rollback costs the export, not the decision already carried out. */
async function blastRadiusAfterRollback(
  canaryUrl: string,
  options: CanaryLayerOptions,
  clock: RolloutClock,
): Promise<BlastRadiusExport | undefined> {
  try {
    const exported = await exportBlastRadius({ canaryUrl, sink: options.run });
    const { assessment } = exported;
    options.run.journal.append({
      type: 'canary.blast-radius',
      t: clock.now(),
      served: assessment.served,
      affected: assessment.rows.length,
      csvFile: 'blast-radius.csv',
    });
    options.progress?.(
      `canary: blast radius — ${assessment.rows.length} of ${assessment.served} canary orders late or predicted late (blast-radius.csv)`,
    );
    return exported;
  } catch (error) {
    options.progress?.(`canary: blast radius unavailable: ${(error as Error).message}`);
    return undefined;
  }
}
