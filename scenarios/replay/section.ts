import type { Check, CheckStatus, ReplayLayer } from '../../core/report/model.ts';
import type { DiffResult } from '../diff/diff.ts';
import { pct } from '../diff/format.ts';
import { describeNotProcessed, processingOutcomes } from './outcomes.ts';
import type { ReplayResult } from './types.ts';

/**
 * The replay's section of report.json, from the replay and diff results: pure, so the
 * wording reviewers read is tested like any other output. (Type-only import of the
 * report model: nothing at runtime depends on harness/.)
 *
 * Checks: every order accounted for and none lost (fail on a lost order; inconclusive
 * when the target accepted no order at all: nothing replayed is no evidence); orders the
 * target refused (fail on a 5xx; inconclusive when it could not be reached at all, as
 * that is no evidence about the release); same decisions as the baseline (fail over
 * the difference budget; inconclusive when no order could be compared; skipped
 * without a baseline).
 */
export interface SectionInput {
  candidate: ReplayResult;
  baseline?: ReplayResult;
  diff?: DiffResult;
  input: { file: string; format?: string };
  startedAt: Date;
  finishedAt: Date;
  /** Lost ids listed in the report; the rest are counted (default 50). */
  maxIds?: number;
}

export function replaySection(s: SectionInput): ReplayLayer {
  const c = s.candidate;
  const maxIds = s.maxIds ?? 50;
  const lostIds = c.lost.map((l) => l.id);
  const checks: Check[] = [accountingCheck(c, maxIds), deliveryCheck(c), diffCheck(s.diff, s.baseline)];
  const status = combine(checks.map((check) => check.status));
  const section: ReplayLayer = {
    status,
    summary: summary(c, s.diff),
    timings: {
      startedAt: s.startedAt.toISOString(),
      finishedAt: s.finishedAt.toISOString(),
      durationMs: s.finishedAt.getTime() - s.startedAt.getTime(),
    },
    checks,
    input: {
      file: s.input.file,
      ...(s.input.format ? { format: s.input.format } : {}),
      ...(Number.isFinite(c.schedule.speed) ? { speed: c.schedule.speed } : {}),
      multiply: c.schedule.multiply,
    },
    target: c.target,
    accounting: {
      read: c.lines.read,
      sent: c.lines.sent,
      failed: c.lines.failed,
      quarantined: c.lines.quarantined,
      lost: c.lost.length,
      lostOrderIds: lostIds.slice(0, maxIds),
    },
    diffGroups: s.diff?.groups.slice(0, 50) ?? [],
    throughput: {
      ordersPerSecond: round(c.schedule.throughput),
      latencyP95Ms: c.latencyMs.p95,
      lateness99Ms: c.schedule.lagMs.p99,
    },
  };
  if (s.baseline) section.baselineTarget = s.baseline.target;
  if (s.diff) section.compared = s.diff.compared;
  return section;
}

function accountingCheck(c: ReplayResult, maxIds: number): Check {
  const lost = c.lost.length;
  const processing = processingOutcomes(c.states);
  const notProcessed = describeNotProcessed(processing);
  const base = `${c.lines.read} lines read: ${c.lines.sent} sent, ${c.lines.failed} failed, ${c.lines.quarantined} quarantined, ${lost} lost.`;
  const processed = notProcessed
    ? ` The platform accepted ${c.orders.accepted} order${c.orders.accepted === 1 ? '' : 's'} and could not process ${c.states.size - processing.shipped} of them (${notProcessed}).`
    : '';
  const listed = c.lost.slice(0, 10).map((l) => l.id);
  const more = lost > listed.length ? ` and ${lost - listed.length} more` : '';
  const missing = c.lost.filter((l) => l.reason === 'missing').length;
  const nothing = nothingReplayed(c);
  const message = !c.balanced
    ? `The accounting does not balance: ${base}`
    : lost > 0
      ? `${lost} order${lost === 1 ? ' was' : 's were'} accepted by the platform and never processed (${missing} unknown to it, ${lost - missing} never settled): ${listed.join(', ')}${more}.`
      : nothing
        ? `${nothing}: ${base} Nothing replayed is no evidence about the release.`
        : base + processed;
  return {
    id: 'replay/accounting',
    layer: 'replay',
    title: 'Every order accounted for',
    status: !c.balanced || lost > 0 ? 'fail' : nothing ? 'inconclusive' : 'pass',
    message,
    evidence: {
      test: 'accounting',
      observed: lost,
      threshold: { op: '==', value: 0, description: 'lost orders' },
      details: {
        lines: c.lines,
        orders: c.orders,
        processing,
        lostOrders: c.lost.slice(0, maxIds),
        ...(c.schedule.multiply > 1 ? { multiply: c.schedule.multiply } : {}),
      },
    },
  };
}

/** Why no order reached the platform, or undefined when one did. */
function nothingReplayed(c: ReplayResult): string | undefined {
  if (c.lines.sent > 0 || c.aborted) return undefined;
  if (c.lines.read === 0) return 'The traffic file holds no lines';
  if (c.lines.quarantined === c.lines.read) return `All ${c.lines.read} lines were quarantined`;
  return 'The target accepted no order';
}

function deliveryCheck(c: ReplayResult): Check {
  const byKind = { network: 0, server: 0, client: 0 };
  for (const f of c.failures) {
    if (f.http === 0) byKind.network++;
    else if (f.http >= 500) byKind.server++;
    else byKind.client++;
  }
  const failed = c.orders.failed;
  let status: CheckStatus = 'pass';
  let message = `The target accepted all ${c.orders.accepted} orders sent.`;
  if (byKind.server > 0) {
    status = 'fail';
    message = `The target answered ${byKind.server} order${byKind.server === 1 ? '' : 's'} with a server error (5xx), after retries.`;
  } else if (byKind.network > 0) {
    status = 'inconclusive';
    message = `${byKind.network} order${byKind.network === 1 ? '' : 's'} could not be delivered to the target (${c.failures.find((f) => f.http === 0)?.error ?? 'network error'}): no evidence about them.`;
  } else if (failed > 0) {
    message = `The target refused ${failed} order${failed === 1 ? '' : 's'} as invalid (4xx); see the diff for whether the baseline did too.`;
  }
  return {
    id: 'replay/delivery',
    layer: 'replay',
    title: 'Orders reached the platform',
    status,
    message,
    evidence: {
      test: 'threshold',
      observed: byKind.server + byKind.network,
      threshold: { op: '==', value: 0, description: 'orders refused with 5xx or not delivered' },
      details: { ...byKind, retried: c.orders.retried, sampleFailures: c.failures.slice(0, 10) },
    },
  };
}

function diffCheck(diff: DiffResult | undefined, baseline: ReplayResult | undefined): Check {
  if (!diff) {
    return {
      id: 'replay/diff',
      layer: 'replay',
      title: 'Same decisions as the baseline',
      status: 'skipped',
      message: 'No baseline was given (--baseline), so decisions were not compared.',
      evidence: { test: 'diff' },
    };
  }
  const baselineLost = baseline?.lost.length ?? 0;
  const note = baselineLost
    ? ` The baseline itself lost ${baselineLost} order${baselineLost === 1 ? '' : 's'}.`
    : '';
  const nothing = diff.compared === 0;
  return {
    id: 'replay/diff',
    layer: 'replay',
    title: 'Same decisions as the baseline',
    // No order compared is no evidence that the decisions are the same.
    status: nothing ? 'inconclusive' : diff.verdict,
    message: diff.summary + note + (nothing ? ' Nothing was compared, so this is no evidence.' : ''),
    evidence: {
      test: 'diff',
      observed: round(diff.share, 4),
      threshold: { op: '<=', value: diff.budget, description: 'share of orders with differences' },
      details: {
        compared: diff.compared,
        incomparable: diff.incomparable,
        ordersWithDiffs: diff.ordersWithDiffs,
        timingNoise: diff.timingNoise,
        noisyFields: diff.noisyFields,
        byField: diff.byField,
      },
    },
  };
}

function summary(c: ReplayResult, diff: DiffResult | undefined): string {
  const lost = c.lost.length;
  const nothing = nothingReplayed(c);
  if (nothing)
    return `${nothing} (${c.lines.read} lines read: ${c.lines.sent} sent, ${c.lines.failed} failed, ${c.lines.quarantined} quarantined): nothing was replayed or compared.`;
  const parts = [
    lost === 0
      ? `All ${c.lines.read} lines were accounted for and no order was lost`
      : `${lost} order${lost === 1 ? ' was' : 's were'} lost`,
  ];
  if (diff) {
    const top = diff.groups.find((g) => !g.noisy);
    parts.push(
      diff.compared === 0
        ? `no order could be compared with the baseline${diff.incomparable ? ` (the baseline failed to process all ${diff.incomparable})` : ''}`
        : diff.ordersWithDiffs === 0
          ? 'no decision changed'
          : `${pct(diff.share)} of orders differ${top ? ` (${top.summary})` : ''}`,
    );
  }
  return `${parts.join('; ')}.`;
}

function combine(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  if (statuses.includes('pass')) return 'pass';
  return 'skipped';
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
