import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventsMetric, metricById, type QuantileMetric } from './catalogue.ts';
import {
  evaluateBuckets,
  evaluateEvents,
  eventsValue,
  histogramQuantile,
  type ScrapedSample,
} from './evaluate.ts';

const onTime = metricById('on_time_rate') as EventsMetric;
const overSlo = metricById('processing_over_slo') as EventsMetric;
const p95 = metricById('processing_p95') as QuantileMetric;

const s = (name: string, labels: Record<string, string>, value: number): ScrapedSample => ({
  name,
  labels,
  value,
});

describe('evaluate events from samples', () => {
  it('sums matching counters per version; bad absent stays undefined', () => {
    const samples = [
      s('logistics_deliveries_total', { version: 'stable', on_time: 'true', region: 'N' }, 90),
      s('logistics_deliveries_total', { version: 'stable', on_time: 'false', region: 'N' }, 5),
      s('logistics_deliveries_total', { version: 'stable', on_time: 'false', region: 'S' }, 5),
      s('logistics_deliveries_total', { version: 'canary', on_time: 'true' }, 10),
      s('logistics_deliveries_total', { on_time: 'false' }, 1000), // no version: ignored
      s('other_total', { version: 'stable' }, 1),
    ];
    const out = evaluateEvents(onTime, samples);
    expect(out.get('stable')).toEqual({ total: 100, bad: 10 });
    expect(out.get('canary')).toEqual({ total: 10 });
    expect(eventsValue(onTime, { bad: 10, total: 100 })).toBeCloseTo(0.9);
    expect(eventsValue(onTime, { bad: 0, total: 0 })).toBeNaN();
  });

  it('applies extra matchers and a custom version label', () => {
    const samples = [
      s('logistics_deliveries_total', { build: 'b1', job: 'a' }, 3),
      s('logistics_deliveries_total', { build: 'b1', job: 'b' }, 4),
    ];
    expect(
      evaluateEvents(onTime, samples, { versionLabel: 'build', matchers: { job: 'a' } }).get('b1'),
    ).toEqual({ total: 3 });
  });

  it('counts an exceedance as count minus the SLO bucket, comparing le numerically', () => {
    const samples = [
      s('logistics_order_processing_seconds_bucket', { version: 'canary', le: '0.5' }, 40),
      s('logistics_order_processing_seconds_bucket', { version: 'canary', le: '1.0' }, 70),
      s('logistics_order_processing_seconds_bucket', { version: 'canary', le: '+Inf' }, 100),
      s('logistics_order_processing_seconds_count', { version: 'canary' }, 100),
    ];
    expect(evaluateEvents(overSlo, samples).get('canary')).toEqual({ total: 100, bad: 30 });
    const buckets = evaluateBuckets(p95, samples).get('canary')!;
    expect([...buckets]).toEqual([
      [0.5, 40],
      [1, 70],
      [Infinity, 100],
    ]);
  });
});

describe('histogramQuantile (Prometheus semantics)', () => {
  it('interpolates linearly within the bucket holding the rank', () => {
    // 100 observations: 40 ≤ 0.5, 30 in (0.5, 1], 30 in (1, +Inf).
    expect(histogramQuantile(0.5, [0.5, 1, Infinity], [40, 70, 100])).toBeCloseTo(0.5 + 0.5 * (10 / 30));
    expect(histogramQuantile(0.2, [0.5, 1, Infinity], [40, 70, 100])).toBeCloseTo(0.25);
    expect(histogramQuantile(0.95, [0.5, 1, Infinity], [40, 70, 100])).toBe(1);
  });

  it('answers NaN without observations or a +Inf bucket, ±Inf outside [0, 1]', () => {
    expect(histogramQuantile(0.5, [1, Infinity], [0, 0])).toBeNaN();
    expect(histogramQuantile(0.5, [1, 2], [1, 2])).toBeNaN();
    expect(histogramQuantile(-1, [1, Infinity], [1, 1])).toBe(-Infinity);
    expect(histogramQuantile(2, [1, Infinity], [1, 1])).toBe(Infinity);
  });

  // q = 0 over an empty first bucket is 0/0 = NaN in Prometheus too; the property is for q > 0.
  it('is monotone in q and stays within the finite bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(50), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (inc, q1, q2) => {
          const counts = [inc[0]!, inc[0]! + inc[1]!, inc[0]! + inc[1]! + inc[2]! + 1];
          const le = [0.5, 1, Infinity];
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const a = histogramQuantile(lo, le, counts);
          const b = histogramQuantile(hi, le, counts);
          expect(a).toBeLessThanOrEqual(b + 1e-12);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
