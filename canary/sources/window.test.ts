import { describe, expect, it } from 'vitest';
import { metricById } from '../metrics/catalogue.ts';
import type { IntervalMetric } from './deltas.ts';
import { windowValue } from './window.ts';

const onTime = metricById('on_time_rate')!;
const p95 = metricById('processing_p95')!;
const ev = (bad: number, total: number) => ({
  ok: true as const,
  value: { bad, total, from: 0, to: 1, resets: [] },
});
const down = { ok: false as const, missing: { kind: 'error' as const, reason: 'Prometheus down' } };

describe('windowValue', () => {
  it('sums the intervals, skipping missing ones, and reports the catalogue value', () => {
    const intervals: IntervalMetric[] = [
      { kind: 'events', byVersion: { canary: ev(1, 10), stable: ev(0, 0) } },
      { kind: 'events', byVersion: { canary: down, stable: down } },
      { kind: 'events', byVersion: { canary: ev(1, 10), stable: down } },
    ];
    const w = windowValue(onTime, intervals);
    expect(w['canary']).toEqual({ ok: true, value: 0.9 });
    expect(w['stable']).toMatchObject({ ok: false, missing: { kind: 'nan' } });
    expect(windowValue(onTime, [intervals[1]!])['canary']).toEqual(down);
  });

  it('computes a quantile from the summed buckets', () => {
    const b = (counts: number[]) => ({
      ok: true as const,
      value: { le: [0.5, 1, Infinity], counts, from: 0, to: 1, resets: [] },
    });
    const w = windowValue(p95, [
      { kind: 'quantile', byVersion: { canary: b([40, 70, 100]) } },
      { kind: 'quantile', byVersion: { canary: b([0, 0, 0]) } },
    ]);
    expect(w['canary']).toEqual({ ok: true, value: 1 }); // rank 95 falls in +Inf: the last finite bound
    const empty = windowValue(p95, [{ kind: 'quantile', byVersion: { canary: b([0, 0, 0]) } }]);
    expect(empty['canary']).toMatchObject({ ok: false, missing: { kind: 'nan' } });
  });
});
