import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, type Baseline, type IntervalEvents } from './deltas.ts';
import {
  type EventCounts,
  type MetricReading,
  missing,
  type Reading,
  type SourceSnapshot,
} from './source.ts';

function events(byVersion: Record<string, Record<string, EventCounts> | 'missing'>): MetricReading {
  const out: Record<string, Reading<{ sum: EventCounts; parts: Record<string, EventCounts> }>> = {};
  for (const [version, parts] of Object.entries(byVersion)) {
    if (parts === 'missing') {
      out[version] = missing('error', 'Prometheus down');
      continue;
    }
    const sum = Object.values(parts).reduce((a, p) => ({ bad: a.bad + p.bad, total: a.total + p.total }), {
      bad: 0,
      total: 0,
    });
    out[version] = { ok: true, value: { sum, parts } };
  }
  return { kind: 'events', byVersion: out };
}

const snap = (at: number, metrics: Record<string, MetricReading>): SourceSnapshot => ({
  source: 'prometheus',
  at,
  metrics,
});

function counts(baseline: Baseline | undefined, s: SourceSnapshot, metric = 'm', version = 'canary') {
  const step = advance(baseline, s);
  const m = step.interval.metrics[metric]!;
  return { reading: m.byVersion[version]!, baseline: step.baseline };
}

describe('advance: snapshots to interval counts', () => {
  it('has no interval at the first snapshot, then diffs', () => {
    const first = counts(undefined, snap(1000, { m: events({ canary: { a: { bad: 1, total: 10 } } }) }));
    expect(first.reading).toMatchObject({ ok: false, missing: { kind: 'empty' } });
    const second = counts(
      first.baseline,
      snap(2000, { m: events({ canary: { a: { bad: 3, total: 25 } } }) }),
    );
    expect(second.reading).toEqual({
      ok: true,
      value: { bad: 2, total: 15, from: 1000, to: 2000, resets: [] },
    });
  });

  it('handles a reset per part, as increase() does per series', () => {
    let b = counts(
      undefined,
      snap(0, { m: events({ canary: { a: { bad: 5, total: 100 }, b: { bad: 5, total: 100 } } }) }),
    ).baseline;
    const r = counts(
      b,
      snap(1, { m: events({ canary: { a: { bad: 1, total: 7 }, b: { bad: 6, total: 110 } } }) }),
    );
    // a restarted: its 7 orders are new; b moved by 10.
    expect(r.reading).toMatchObject({ ok: true, value: { bad: 2, total: 17, resets: ['a'] } });
    b = r.baseline;
  });

  it('covers an outage in the next good interval and never reports a zero for it', () => {
    const s0 = counts(undefined, snap(0, { m: events({ canary: { a: { bad: 0, total: 10 } } }) }));
    const s1 = counts(s0.baseline, snap(1, { m: events({ canary: 'missing' }) }));
    expect(s1.reading).toEqual({ ok: false, missing: { kind: 'error', reason: 'Prometheus down' } });
    const s2 = counts(s1.baseline, snap(2, { m: events({ canary: { a: { bad: 4, total: 30 } } }) }));
    expect(s2.reading).toMatchObject({ ok: true, value: { bad: 4, total: 20, from: 0, to: 2 } });
  });

  it('diffs a part that vanished and came back against its last value; counts a new part in full', () => {
    const s0 = counts(
      undefined,
      snap(0, { m: events({ canary: { a: { bad: 1, total: 10 }, b: { bad: 0, total: 50 } } }) }),
    );
    const s1 = counts(s0.baseline, snap(1, { m: events({ canary: { a: { bad: 1, total: 12 } } }) }));
    expect(s1.reading).toMatchObject({ ok: true, value: { bad: 0, total: 2 } });
    const s2 = counts(
      s1.baseline,
      snap(2, {
        m: events({
          canary: { a: { bad: 1, total: 12 }, b: { bad: 1, total: 55 }, c: { bad: 1, total: 3 } },
        }),
      }),
    );
    expect(s2.reading).toMatchObject({ ok: true, value: { bad: 2, total: 8, resets: [] } });
  });

  it('diffs histogram buckets with resets', () => {
    const h = (counts: number[]): MetricReading => ({
      kind: 'quantile',
      byVersion: {
        canary: {
          ok: true,
          value: { sum: { le: [1, Infinity], counts }, parts: { a: { le: [1, Infinity], counts } } },
        },
      },
    });
    const s0 = advance(undefined, snap(0, { p: h([5, 10]) }));
    const s1 = advance(s0.baseline, snap(1, { p: h([8, 20]) }));
    expect(s1.interval.metrics['p']!.byVersion['canary']).toEqual({
      ok: true,
      value: { le: [1, Infinity], counts: [3, 10], from: 0, to: 1, resets: [] },
    });
    const s2 = advance(s1.baseline, snap(2, { p: h([1, 2]) }));
    expect(s2.interval.metrics['p']!.byVersion['canary']).toMatchObject({
      ok: true,
      value: { counts: [1, 2], resets: ['a'] },
    });
  });

  it('passes raw values through', () => {
    const raw: MetricReading = { kind: 'raw', byVersion: { canary: { ok: true, value: 0.3 } } };
    expect(advance(undefined, snap(0, { r: raw })).interval.metrics['r']).toEqual(raw);
  });

  it('does not mutate the baseline it was given (the controller may journal it)', () => {
    const s0 = counts(undefined, snap(0, { m: events({ canary: { a: { bad: 0, total: 10 } } }) }));
    const frozen = structuredClone(s0.baseline);
    counts(s0.baseline, snap(1, { m: events({ canary: { a: { bad: 1, total: 11 } } }) }));
    expect(s0.baseline).toEqual(frozen);
  });

  it('property: without resets, the intervals add up to the counters’ growth, whatever snapshots go missing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ bad: fc.nat(5), good: fc.nat(20), lost: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        (steps) => {
          let bad = 0;
          let total = 0;
          let base = advance(undefined, snap(0, { m: events({ canary: { a: { bad, total } } }) })).baseline;
          let seenBad = 0;
          let seenTotal = 0;
          for (const [i, step] of steps.entries()) {
            bad += step.bad;
            total += step.bad + step.good;
            const last = i === steps.length - 1;
            const r = counts(
              base,
              snap(i + 1, { m: events({ canary: step.lost && !last ? 'missing' : { a: { bad, total } } }) }),
            );
            base = r.baseline;
            if (r.reading.ok) {
              const value = r.reading.value as IntervalEvents;
              seenBad += value.bad;
              seenTotal += value.total;
            }
          }
          expect({ seenBad, seenTotal }).toEqual({ seenBad: bad, seenTotal: total });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('baseline journaling', () => {
  it('round-trips through JSON with the +Inf bucket intact', async () => {
    const { parseWithInf, stringifyWithInf } = await import('./json.ts');
    const h: MetricReading = {
      kind: 'quantile',
      byVersion: {
        canary: {
          ok: true,
          value: {
            sum: { le: [1, Infinity], counts: [1, 2] },
            parts: { a: { le: [1, Infinity], counts: [1, 2] } },
          },
        },
      },
    };
    const { baseline } = advance(undefined, snap(0, { p: h }));
    const revived = parseWithInf<Baseline>(stringifyWithInf(baseline));
    expect(revived).toEqual(baseline);
    expect(JSON.parse(JSON.stringify(baseline))).not.toEqual(baseline); // why the helper exists
  });
});

describe('a version that appears during the rollout', () => {
  it('counts in full from when it was seen empty, but not after an error', () => {
    const empty: MetricReading = { kind: 'events', byVersion: { canary: missing('empty', 'no series') } };
    const s0 = counts(undefined, snap(0, { m: empty }));
    const s1 = counts(s0.baseline, snap(5, { m: events({ canary: { a: { bad: 2, total: 9 } } }) }));
    expect(s1.reading).toEqual({ ok: true, value: { bad: 2, total: 9, from: 0, to: 5, resets: [] } });

    const e0 = counts(undefined, snap(0, { m: events({ canary: 'missing' }) }));
    const e1 = counts(e0.baseline, snap(5, { m: events({ canary: { a: { bad: 2, total: 9 } } }) }));
    expect(e1.reading).toMatchObject({ ok: false, missing: { kind: 'empty' } });
  });
});
