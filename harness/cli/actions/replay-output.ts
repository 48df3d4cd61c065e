import { basename } from 'node:path';
import type { Report } from '../../../core/report/model.ts';
import { decidingCheck } from '../../../core/report/verdict.ts';
import type { DiffResult } from '../../../scenarios/diff/diff.ts';
import {
  describeNotProcessed,
  type ProcessingOutcomes,
  processingOutcomes,
} from '../../../scenarios/replay/outcomes.ts';
import type { LostOrder } from '../../../scenarios/replay/reconcile.ts';
import type { ReplayRunResult } from '../../../scenarios/replay/run.ts';
import type { LineAccounting, OrderAccounting, ReplayResult } from '../../../scenarios/replay/types.ts';
import { buildReport } from '../../report/build.ts';

/**
 * What `shipgate replay` writes and prints from the runner's result: the report (one
 * layer, through the common builder), the `--json` summary and the human lines.
 */
export function replayReport(result: ReplayRunResult, file: string): Report {
  const { candidate, baseline, section } = result;
  const layers = { replay: section };
  return buildReport({
    runId: result.run.id,
    command: 'replay',
    release: {
      name: `replay of ${basename(file)}`,
      candidateVersion: versionOf(candidate),
      ...(baseline ? { baselineVersion: versionOf(baseline) } : {}),
      target: candidate.target,
    },
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    layers,
    // The deciding check's own words, without the layer's name: a replay has one layer.
    reason: result.interrupted ? section.summary : (decidingCheck({ layers })?.message ?? section.summary),
  });
}

function versionOf(result: ReplayResult): string {
  for (const state of result.states.values()) {
    const version = state.fields.version;
    if (typeof version === 'string') return version;
  }
  return 'unknown';
}

/** What `shipgate replay --json` prints: counts, lost ids, diff groups and file paths (never order content). */
export interface ReplaySummary {
  verdict: 'pass' | 'fail' | 'inconclusive';
  runDir: string;
  interrupted: boolean;
  accounting: LineAccounting & { lost: number };
  orders: OrderAccounting;
  /** What the platform did with the orders it accepted: shipped, or not processed by outcome. */
  processing: ProcessingOutcomes;
  lost: LostOrder[];
  diff?: Omit<DiffResult, 'missingInBaseline' | 'missingInCandidate'>;
  throughput: { ordersPerSecond: number; latencyP95Ms: number; scheduleLagP99Ms: number };
  files: Record<string, string>;
}

export function replaySummary(
  result: ReplayRunResult,
  verdict: ReplaySummary['verdict'],
  files: Record<string, string>,
): ReplaySummary {
  const { candidate, diff } = result;
  const withoutMissing = diff && (({ missingInBaseline: _b, missingInCandidate: _c, ...rest }) => rest)(diff);
  return {
    verdict,
    runDir: result.run.dir,
    interrupted: result.interrupted,
    accounting: { ...candidate.lines, lost: candidate.lost.length },
    orders: candidate.orders,
    processing: processingOutcomes(candidate.states),
    lost: candidate.lost,
    ...(withoutMissing ? { diff: withoutMissing } : {}),
    throughput: {
      ordersPerSecond: Math.round(candidate.schedule.throughput * 10) / 10,
      latencyP95Ms: candidate.latencyMs.p95,
      scheduleLagP99Ms: candidate.schedule.lagMs.p99,
    },
    files,
  };
}

/** The human-readable lines `shipgate replay` prints without --json. */
export function formatReplaySummary(s: ReplaySummary, headline: string): string {
  const a = s.accounting;
  const lines = [
    `replay: ${s.verdict.toUpperCase()} — ${headline}`,
    `  lines: ${a.read} read = ${a.sent} sent + ${a.failed} failed + ${a.quarantined} quarantined` +
      `${a.late ? ` (${a.late} out of order)` : ''}${a.resumed ? ` (${a.resumed} from the interrupted run)` : ''}`,
    `  orders: ${s.orders.accepted} accepted, ${s.orders.failed} failed, ${s.orders.retried} retried, ${a.lost} lost`,
  ];
  const notProcessed = describeNotProcessed(s.processing);
  if (notProcessed)
    lines.push(`  processing: ${s.processing.shipped} shipped; not processed: ${notProcessed}`);
  if (s.lost.length) {
    const shown = s.lost.slice(0, 20).map((l) => `${l.id} (line ${l.line}, ${l.reason})`);
    lines.push(`  lost: ${shown.join(', ')}${s.lost.length > 20 ? ` and ${s.lost.length - 20} more` : ''}`);
  }
  if (s.diff) {
    lines.push(`  diff: ${s.diff.summary}`);
    for (const group of s.diff.groups.filter((g) => !g.noisy).slice(0, 5))
      lines.push(`    - ${group.summary}`);
  }
  lines.push(
    `  throughput: ${s.throughput.ordersPerSecond} orders/s, p95 ${s.throughput.latencyP95Ms} ms, schedule lag p99 ${s.throughput.scheduleLagP99Ms} ms`,
    `  run folder: ${s.runDir}`,
  );
  return lines.join('\n');
}
