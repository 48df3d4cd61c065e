import type { CanaryLayerResult } from '../../../canary/controller/run-layer.ts';
import type { Versions } from '../../../canary/controller/series.ts';
import type { CanaryEvent } from '../../../canary/journal/events.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import type { CanaryLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import { buildReport } from '../../report/build.ts';
import { writeReports } from '../../report/write.ts';

/** What `shipgate canary run | judge` write and print. */

/** report.json, .md, .html and junit.xml: the layer's section in the one report envelope. */
export function writeCanaryReport(
  folder: RunFolder,
  command: string,
  section: CanaryLayer,
  versions: Versions,
): ExitCode {
  const timings = section.timings ?? { startedAt: new Date().toISOString() };
  const report = buildReport({
    runId: folder.id,
    command,
    release: { name: 'canary', candidateVersion: versions.canary, baselineVersion: versions.baseline },
    startedAt: timings.startedAt,
    ...(timings.finishedAt ? { finishedAt: timings.finishedAt } : {}),
    layers: { canary: section },
    reason: section.summary || 'No reason recorded.',
  });
  writeReports(folder, report);
  return report.decision.exitCode as ExitCode;
}

/** The rollout's progress on stderr: weights, analyses, the decision. */
export function progressLine(event: CanaryEvent): string | undefined {
  if (event.type === 'canary.actuated' && event.op === 'set-weight') return `canary weight ${event.weight}%`;
  if (event.type === 'canary.evaluation')
    return `${event.result.verdict}: ${event.action.type} — ${event.action.reason}`;
  if (event.type === 'canary.decision' && event.action.type !== 'advance')
    return `decision: ${event.action.type}`;
  return undefined;
}

/** The outcome as JSON (`--json`) or as lines. */
export function rolloutSummary(
  result: CanaryLayerResult,
  exitCode: number,
  runDir: string,
): { json: unknown; human: () => string } {
  const { outcome, section, blastRadius } = result;
  const assessment = blastRadius?.assessment;
  const groups = assessment?.groups.filter((g) => g.affected > 0) ?? [];
  const json = {
    runDir,
    outcome: outcome.outcome,
    reason: outcome.reason,
    exitCode,
    resumed: outcome.resumed,
    steps: section.steps,
    decision: section.decision ?? null,
    blastRadius: assessment
      ? {
          served: assessment.served,
          affected: assessment.rows.length,
          compensationTotal: assessment.compensationTotal,
          groups,
          csv: blastRadius.file,
        }
      : null,
  };
  const word = { promoted: 'PROMOTED', rolled_back: 'ROLLED BACK', held: 'HELD' }[outcome.outcome];
  const human = () =>
    [
      `${word}: ${outcome.reason}`,
      ...(assessment
        ? [
            `blast radius: ${assessment.rows.length} of ${assessment.served} canary orders late or predicted late → ${blastRadius.file}`,
            ...groups
              .slice(0, 10)
              .map(
                (g) =>
                  `  ${g.region}/${g.carrier}: ${g.affected} of ${g.served} late, up to ${g.maxDelayHours} h, compensation ${g.compensationTotal} ${assessment.policy.currency}`,
              ),
          ]
        : []),
      `run folder: ${runDir}`,
    ].join('\n');
  return { json, human };
}
