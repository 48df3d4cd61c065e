import type { ExpectationId } from '../catalogue/scenario.ts';
import type { OrderReport } from '../platform/types.ts';
import type { Observed } from './judge.ts';

/**
 * A scenario's SLOs observed from what the platform said of each order, read through
 * its adapter (OrderReport), and from the replay's ledger — the same for the sandbox and
 * any other platform, order by order. Pure.
 *
 * - on-time rate: delivered orders whose report says on time / delivered orders that
 *   say either way. A platform whose delivered orders never say is not measurable.
 * - processing p95/p99: the processing time the platform reports (`processingMs`); for
 *   a platform that reports none, the answer's latency (a platform that decides while
 *   the request waits, as most synchronous order APIs do).
 * - error rate: orders that failed without a final refusal (5xx, no answer, after the
 *   retries) or that the platform processed with outcome `error`, over orders sent. A
 *   4xx refusal (invalid, out of stock) is the platform answering, not failing.
 * - dispatch-cutoff misses: the report's `cutoffMissed` field over shipped orders; not
 *   measurable on a platform whose reports have no such field.
 * - lost orders and shipped share: the ledger.
 */
export interface OutcomeInput {
  /** The last report of each accepted order. */
  reports: Iterable<OrderReport>;
  /** Orders sent (accepted + failed). */
  attempted: number;
  accepted: number;
  lost: number;
  /** HTTP status of each failed order's last attempt, 0 for no answer (as many as were kept). */
  failedHttp: readonly number[];
  /** Failed orders in all (the kept list may be shorter). */
  failed: number;
  /** Answer latency of every send, ms: p95/p99 and how many. */
  answerLatency: { p95: number; p99: number; count: number };
}

export function observeOutcomes(input: OutcomeInput): Partial<Record<ExpectationId, Observed>> {
  const reports = [...input.reports];
  return {
    on_time_rate: onTime(reports),
    ...processing(reports, input.answerLatency),
    error_rate: errors(reports, input),
    cutoff_missed_rate: cutoffs(reports),
    lost_orders: { value: input.lost, samples: input.accepted, source: 'ledger' },
    shipped_rate: shipped(reports, input.accepted),
  };
}

function onTime(reports: OrderReport[]): Observed {
  const delivered = reports.filter((r) => r.delivered);
  const said = delivered.filter((r) => r.onTime !== undefined);
  if (delivered.length > 0 && said.length === 0)
    return {
      value: null,
      samples: 0,
      source: 'outcomes',
      notMeasurable: `${delivered.length} orders were delivered, and the platform's reports say of none whether it was on time (the adapter reads no onTime)`,
    };
  const late = said.filter((r) => r.onTime === false).length;
  return said.length
    ? {
        value: (said.length - late) / said.length,
        samples: said.length,
        bad: late,
        total: said.length,
        source: 'outcomes',
      }
    : {
        value: null,
        samples: 0,
        source: 'outcomes',
        missing: 'no order was delivered while the run tracked them',
      };
}

function processing(
  reports: OrderReport[],
  answer: OutcomeInput['answerLatency'],
): Pick<Record<ExpectationId, Observed>, 'processing_p95_seconds' | 'processing_p99_seconds'> {
  const reported = reports
    .map((r) => r.processingMs)
    .filter((ms): ms is number => typeof ms === 'number' && Number.isFinite(ms))
    .sort((a, b) => a - b);
  if (reported.length > 0) {
    const at = (q: number) => ({
      value: quantile(reported, q) / 1000,
      samples: reported.length,
      source: 'outcomes' as const,
    });
    return { processing_p95_seconds: at(0.95), processing_p99_seconds: at(0.99) };
  }
  // No processing time reported: the answer's latency (what the platform spent deciding
  // while the request waited), measured by shipgate.
  const from = (ms: number): Observed =>
    answer.count > 0
      ? { value: ms / 1000, samples: answer.count, source: 'outcomes' }
      : { value: null, samples: 0, source: 'outcomes', missing: 'no order was sent' };
  return { processing_p95_seconds: from(answer.p95), processing_p99_seconds: from(answer.p99) };
}

function errors(reports: OrderReport[], input: OutcomeInput): Observed {
  // A failed order not in the kept list is counted as an error: never fewer than there were.
  const refused = input.failedHttp.filter((h) => h >= 400 && h < 500).length;
  const intake = input.failed - refused;
  const processed = reports.filter((r) => r.outcome === 'error').length;
  const bad = intake + processed;
  return input.attempted
    ? {
        value: bad / input.attempted,
        samples: input.attempted,
        bad,
        total: input.attempted,
        source: 'outcomes',
      }
    : { value: null, samples: 0, source: 'outcomes', missing: 'no order was sent' };
}

function cutoffs(reports: OrderReport[]): Observed {
  const shipped = reports.filter((r) => r.outcome === 'shipped');
  const said = shipped.filter((r) => typeof r.fields.cutoffMissed === 'boolean');
  if (said.length === 0 && shipped.length > 0)
    return {
      value: null,
      samples: 0,
      source: 'outcomes',
      notMeasurable: "the platform's reports have no dispatch cutoff (no cutoffMissed field)",
    };
  const missed = said.filter((r) => r.fields.cutoffMissed === true).length;
  return said.length
    ? {
        value: missed / said.length,
        samples: said.length,
        bad: missed,
        total: said.length,
        source: 'outcomes',
      }
    : { value: null, samples: 0, source: 'outcomes', missing: 'no order was shipped' };
}

function shipped(reports: OrderReport[], accepted: number): Observed {
  const count = reports.filter((r) => r.outcome === 'shipped').length;
  return accepted
    ? {
        value: count / accepted,
        samples: accepted,
        bad: accepted - count,
        total: accepted,
        source: 'ledger',
      }
    : { value: null, samples: 0, source: 'ledger', missing: 'no order was accepted' };
}

/** Nearest-rank quantile of sorted values (what a histogram of every order would give). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
