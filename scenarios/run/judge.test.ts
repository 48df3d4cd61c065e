import { describe, expect, it } from 'vitest';
import { compareSlos } from './compare.ts';
import { judgeAll, judgeExpectation, overall } from './judge.ts';

describe('judging expectations', () => {
  it('fails a missed SLO and names it with the observed value and the target', () => {
    const v = judgeExpectation(
      { id: 'processing_p95_seconds', op: '<=', value: 1 },
      { value: 2.31, samples: 412, source: 'metrics' },
    );
    expect(v.status).toBe('fail');
    expect(v.message).toBe('Order processing p95 was 2.31 s (412 orders), over the SLO <= 1.00 s.');
    const ok = judgeExpectation(
      { id: 'on_time_rate', op: '>=', value: 0.95 },
      { value: 0.97, samples: 100, source: 'metrics' },
    );
    expect(ok.status).toBe('pass');
    expect(ok.message).toContain('97.0% (100 deliveries), within the SLO >= 95.0%');
    const under = judgeExpectation(
      { id: 'on_time_rate', op: '>=', value: 0.95 },
      { value: 0.9, samples: 10, source: 'metrics' },
    );
    expect(under.message).toContain('under the SLO');
  });

  it('the boundary passes; no data is inconclusive, never a pass', () => {
    expect(
      judgeExpectation({ id: 'lost_orders', op: '<=', value: 0 }, { value: 0, samples: 5, source: 'ledger' })
        .status,
    ).toBe('pass');
    expect(
      judgeExpectation({ id: 'lost_orders', op: '<=', value: 0 }, { value: 1, samples: 5, source: 'ledger' })
        .status,
    ).toBe('fail');
    const none = judgeExpectation(
      { id: 'on_time_rate', op: '>=', value: 0.95 },
      { value: null, samples: 0, source: 'metrics', missing: 'no deliveries yet' },
    );
    expect(none.status).toBe('inconclusive');
    expect(none.message).toContain('no deliveries yet');
    expect(judgeAll([{ id: 'error_rate', op: '<=', value: 0.01 }], {})[0]!.status).toBe('inconclusive');
    expect(
      judgeExpectation(
        { id: 'error_rate', op: '<=', value: 0.01 },
        { value: Number.NaN, samples: 0, source: 'metrics' },
      ).status,
    ).toBe('inconclusive');
  });

  it('overall: any fail fails, then inconclusive, nothing judged is inconclusive', () => {
    expect(overall(['pass', 'fail', 'inconclusive'])).toBe('fail');
    expect(overall(['pass', 'inconclusive'])).toBe('inconclusive');
    expect(overall([])).toBe('inconclusive');
    expect(overall(['pass'])).toBe('pass');
    expect(overall(['pass', 'skipped'])).toBe('pass');
    expect(overall(['skipped', 'skipped'])).toBe('inconclusive');
    expect(overall(['skipped', 'fail'])).toBe('fail');
  });

  it('an SLO the target cannot measure is skipped with the reason, never passed, even with a value', () => {
    const v = judgeExpectation(
      { id: 'cutoff_missed_rate', op: '<=', value: 0.02 },
      {
        value: 0,
        samples: 40,
        source: 'outcomes',
        notMeasurable: 'the kestrel adapter reads no dispatch cutoff',
      },
    );
    expect(v.status).toBe('skipped');
    expect(v.observed).toBeNull();
    expect(v.message).toBe(
      'Dispatch cutoff misses: not measurable on this target (the kestrel adapter reads no dispatch cutoff), so the SLO <= 2.0% was skipped; this is not a pass.',
    );
  });

  it('compare: the difference of each SLO, null where a side has no data', () => {
    const a = judgeAll(
      [
        { id: 'processing_p95_seconds', op: '<=', value: 1 },
        { id: 'on_time_rate', op: '>=', value: 0.95 },
      ],
      { processing_p95_seconds: { value: 0.2, samples: 10, source: 'metrics' } },
    );
    const b = judgeAll(
      [
        { id: 'processing_p95_seconds', op: '<=', value: 1 },
        { id: 'on_time_rate', op: '>=', value: 0.95 },
      ],
      {
        processing_p95_seconds: { value: 3.2, samples: 10, source: 'metrics' },
        on_time_rate: { value: 0.9, samples: 5, source: 'metrics' },
      },
    );
    const d = compareSlos(a, b);
    expect(d[0]).toMatchObject({
      id: 'processing_p95_seconds',
      baseline: 0.2,
      candidate: 3.2,
      candidateStatus: 'fail',
    });
    expect(d[0]!.delta).toBeCloseTo(3);
    expect(d[1]).toMatchObject({ baseline: null, candidate: 0.9, delta: null });
  });
});
