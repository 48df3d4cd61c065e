import { describe, expect, it } from 'vitest';
import type { OrderReport } from '../platform/types.ts';
import { judgeAll } from './judge.ts';
import { type OutcomeInput, observeOutcomes } from './observe.ts';

const report = (over: Partial<OrderReport> & { orderId: string }): OrderReport => ({
  status: 'delivered',
  settled: true,
  final: true,
  outcome: 'shipped',
  delivered: true,
  fields: {},
  ...over,
});

const base: Omit<OutcomeInput, 'reports'> = {
  attempted: 10,
  accepted: 10,
  lost: 0,
  failedHttp: [],
  failed: 0,
  answerLatency: { p95: 120, p99: 480, count: 10 },
};

describe('SLOs from the orders’ outcomes', () => {
  it('reads on-time, processing, errors and cutoffs from the sandbox’s reports', () => {
    const reports = Array.from({ length: 10 }, (_, i) =>
      report({
        orderId: `o${i}`,
        onTime: i !== 3,
        processingMs: (i + 1) * 100,
        outcome: i === 9 ? 'error' : 'shipped',
        delivered: i !== 9,
        fields: { cutoffMissed: i === 0 },
      }),
    );
    const o = observeOutcomes({ ...base, reports });
    expect(o.on_time_rate).toMatchObject({ value: 8 / 9, bad: 1, total: 9, source: 'outcomes' });
    // Reported processing time wins over the answer's latency: nearest rank of 100..1000 ms.
    expect(o.processing_p95_seconds).toMatchObject({ value: 1, samples: 10 });
    expect(o.processing_p99_seconds).toMatchObject({ value: 1, samples: 10 });
    expect(o.error_rate).toMatchObject({ value: 0.1, bad: 1, total: 10 });
    expect(o.cutoff_missed_rate).toMatchObject({ value: 1 / 9, bad: 1, total: 9 });
    expect(o.shipped_rate).toMatchObject({ value: 0.9, source: 'ledger' });
    expect(o.lost_orders).toMatchObject({ value: 0 });
  });

  it('a platform without processing times, cutoffs or on-time flags: answer latency, not measurable, not measurable', () => {
    const reports = Array.from({ length: 8 }, (_, i) => report({ orderId: `k${i}` }));
    const o = observeOutcomes({
      ...base,
      reports,
      accepted: 8,
      failed: 2,
      // One refusal (409: the platform answered no), one shed after the retries (503).
      failedHttp: [409, 503],
    });
    expect(o.processing_p95_seconds).toMatchObject({ value: 0.12, samples: 10 });
    expect(o.processing_p99_seconds).toMatchObject({ value: 0.48 });
    expect(o.error_rate).toMatchObject({ value: 0.1, bad: 1, total: 10 });
    expect(o.cutoff_missed_rate!.notMeasurable).toContain('no dispatch cutoff');
    expect(o.on_time_rate!.notMeasurable).toContain('8 orders were delivered');
    const verdicts = judgeAll(
      [
        { id: 'cutoff_missed_rate', op: '<=', value: 0.02 },
        { id: 'on_time_rate', op: '>=', value: 0.95 },
      ],
      o,
    );
    expect(verdicts.map((v) => v.status)).toEqual(['skipped', 'skipped']);
  });

  it('nothing delivered yet is no data (inconclusive), not "not measurable"', () => {
    const o = observeOutcomes({
      ...base,
      reports: [report({ orderId: 'a', status: 'handed-over', final: false, delivered: false })],
      accepted: 1,
      attempted: 1,
    });
    expect(o.on_time_rate).toMatchObject({
      value: null,
      missing: expect.stringContaining('no order was delivered'),
    });
    expect(o.on_time_rate!.notMeasurable).toBeUndefined();
    expect(judgeAll([{ id: 'on_time_rate', op: '>=', value: 0.95 }], o)[0]!.status).toBe('inconclusive');
  });

  it('failed orders beyond the kept list count as errors: never fewer than there were', () => {
    const o = observeOutcomes({
      ...base,
      reports: [],
      accepted: 0,
      attempted: 2000,
      failed: 2000,
      failedHttp: Array(1000).fill(409),
    });
    expect(o.error_rate).toMatchObject({ bad: 1000, total: 2000 });
  });
});
