import type { Expectation, ExpectationId } from '../catalogue/scenario.ts';

/**
 * Judging a scenario's expectations: observed value vs target → pass, fail or
 * inconclusive, with the evidence and one plain sentence naming the SLO and the values.
 * Pure (data in, verdict out). No data is never a pass: a missing value is inconclusive.
 */
export interface Observed {
  /** null when there was no data (no deliveries yet, metrics unreachable). */
  value: number | null;
  /** Orders (or deliveries) the value rests on. */
  samples: number;
  bad?: number;
  total?: number;
  /** Where the value came from: the orders' outcomes read through the adapter, the platform's metrics or the replay ledger. */
  source: 'outcomes' | 'metrics' | 'ledger';
  /** Why the value is null, when it is. */
  missing?: string;
  /**
   * The target cannot give this value at all (e.g. dispatch-cutoff misses on a platform
   * without cutoffs): the SLO is skipped with this reason, never passed.
   */
  notMeasurable?: string;
}

/** `skipped`: not measurable on this target (the reason is in the message); never a pass. */
export type SloStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

export interface SloVerdict {
  id: ExpectationId;
  title: string;
  unit: 'ratio' | 'seconds' | 'count';
  op: Expectation['op'];
  target: number;
  observed: number | null;
  samples: number;
  status: SloStatus;
  message: string;
  evidence: Observed;
}

export const SLO_INFO: Record<ExpectationId, { title: string; unit: SloVerdict['unit'] }> = {
  on_time_rate: { title: 'On-time delivery rate', unit: 'ratio' },
  processing_p95_seconds: { title: 'Order processing p95', unit: 'seconds' },
  processing_p99_seconds: { title: 'Order processing p99', unit: 'seconds' },
  error_rate: { title: 'Order processing error rate', unit: 'ratio' },
  cutoff_missed_rate: { title: 'Dispatch cutoff misses', unit: 'ratio' },
  lost_orders: { title: 'Lost orders', unit: 'count' },
  shipped_rate: { title: 'Orders shipped', unit: 'ratio' },
};

export function formatValue(value: number | null, unit: SloVerdict['unit']): string {
  if (value === null) return 'no data';
  if (unit === 'ratio') return `${(value * 100).toFixed(value > 0.999 || value < 0.001 ? 2 : 1)}%`;
  if (unit === 'seconds') return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
  return String(value);
}

export function judgeExpectation(expectation: Expectation, observed: Observed): SloVerdict {
  const info = SLO_INFO[expectation.id];
  const target = `${expectation.op} ${formatValue(expectation.value, info.unit)}`;
  const base = {
    id: expectation.id,
    title: info.title,
    unit: info.unit,
    op: expectation.op,
    target: expectation.value,
    observed: observed.value,
    samples: observed.samples,
    evidence: observed,
  };
  if (observed.notMeasurable) {
    return {
      ...base,
      observed: null,
      status: 'skipped',
      message: `${info.title}: not measurable on this target (${observed.notMeasurable}), so the SLO ${target} was skipped; this is not a pass.`,
    };
  }
  if (observed.value === null || !Number.isFinite(observed.value)) {
    return {
      ...base,
      observed: null,
      status: 'inconclusive',
      message: `${info.title}: no data (${observed.missing ?? 'nothing observed'}), so the SLO ${target} could not be judged; this is not a pass.`,
    };
  }
  const ok =
    expectation.op === '<=' ? observed.value <= expectation.value : observed.value >= expectation.value;
  const over = expectation.op === '<=' ? 'over' : 'under';
  const of = observed.samples
    ? ` (${observed.samples} ${expectation.id === 'on_time_rate' ? 'deliveries' : 'orders'})`
    : '';
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    message: ok
      ? `${info.title} was ${formatValue(observed.value, info.unit)}${of}, within the SLO ${target}.`
      : `${info.title} was ${formatValue(observed.value, info.unit)}${of}, ${over} the SLO ${target}.`,
  };
}

export function judgeAll(
  expectations: readonly Expectation[],
  observed: Partial<Record<ExpectationId, Observed>>,
): SloVerdict[] {
  return expectations.map((e) =>
    judgeExpectation(
      e,
      observed[e.id] ?? { value: null, samples: 0, source: 'metrics', missing: 'not measured' },
    ),
  );
}

/**
 * fail beats inconclusive beats pass; a skipped SLO (not measurable here) neither passes
 * nor blocks, but a run with nothing judged — all skipped, or no SLO — is inconclusive.
 */
export function overall(statuses: readonly SloStatus[]): Exclude<SloStatus, 'skipped'> {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive') || !statuses.includes('pass')) return 'inconclusive';
  return 'pass';
}
