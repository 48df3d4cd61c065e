import {
  type Decision,
  type Release,
  type Report,
  SCHEMA_VERSION,
  type Verdict,
} from '../../core/report/model.ts';
import { decidingCheck, exitCodeFor, overallVerdict, presentLayers } from '../../core/report/verdict.ts';
import { version } from '../version.ts';
import { LAYER_TITLE } from './format.ts';

export interface BuildReportInput {
  runId: string;
  /** e.g. "gate", "canary run", "replay", "contracts verify" */
  command: string;
  release: Release;
  startedAt: Date | string;
  finishedAt?: Date | string;
  layers: Report['layers'];
  /** Overrides the derived reason (one plain sentence). */
  reason?: string;
  /** Overrides the derived verdict, e.g. when a policy turned inconclusive into a rollback. */
  verdict?: Verdict;
}

/**
 * Assembles a whole report from the layers' sections: the verdict from the layers
 * (any fail fails, then inconclusive, never a pass without evidence), the reason from
 * the check that decided it, the exit code, the tool version and timings. Each layer
 * command and `shipgate gate` call this, then writeReports().
 */
export function buildReport(input: BuildReportInput): Report {
  const startedAt = iso(input.startedAt);
  const finishedAt = input.finishedAt === undefined ? undefined : iso(input.finishedAt);
  const verdict = input.verdict ?? overallVerdict(input);
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: input.runId,
    command: input.command,
    tool: { name: 'shipgate', version: version() },
    release: input.release,
    timings: {
      startedAt,
      ...(finishedAt
        ? { finishedAt, durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) }
        : {}),
    },
    decision: decide(input, verdict),
    layers: input.layers,
  };
}

function decide(input: BuildReportInput, verdict: Verdict): Decision {
  const check = verdict === 'pass' ? undefined : decidingCheck(input);
  const decidedBy = check ? { decidedBy: { layer: check.layer, checkId: check.id } } : {};
  return {
    verdict,
    reason: input.reason ?? derivedReason(input, verdict),
    exitCode: exitCodeFor(verdict),
    ...decidedBy,
  };
}

/** "Canary rollout: 24% of canary orders took longer than 1 s …" — the deciding check's own words. */
export function derivedReason(report: Pick<Report, 'layers'>, verdict: Verdict): string {
  const layers = presentLayers(report);
  if (layers.length === 0) return 'No layer ran, so there is no evidence that the release is safe.';
  if (verdict === 'pass') {
    const checks = layers.reduce((n, [, s]) => n + s.checks.filter((c) => c.status === 'pass').length, 0);
    return `All ${checks} checks passed (${layers.map(([name]) => LAYER_TITLE[name].toLowerCase()).join(', ')}).`;
  }
  const check = decidingCheck(report);
  if (check) return `${LAYER_TITLE[check.layer]}: ${check.message}`;
  const layer = layers.find(([, s]) => s.status === verdict);
  if (layer) return `${LAYER_TITLE[layer[0]]}: ${layer[1].summary}`;
  return verdict === 'fail'
    ? 'The release failed the gate.'
    : 'There was not enough evidence to decide; this is not a pass.';
}

function iso(value: Date | string): string {
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}
