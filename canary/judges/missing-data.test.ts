import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import { JUDGES } from './index.ts';
import { ERRORS, eventStream, LATENCY } from './testing.ts';
import type { EventsInterval, LatencyInterval, MetricSeries } from './types.ts';

describe('missing data is never a pass, for every judge', () => {
  it('a missing, empty or malformed latest interval on any metric never passes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(JUDGES) as (keyof typeof JUDGES)[])),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom('events', 'latency'),
        fc.constantFrom('null-canary', 'null-baseline', 'null-both', 'nan', 'bad-gt-total', 'no-intervals'),
        (judge, seed, n, where, how) => {
          const rand = seededRandom(seed);
          const healthy = eventStream(rand, {
            intervals: n,
            orders: 40,
            share: 0.5,
            baseRate: 0.01,
            canaryRate: 0.01,
          });
          const lat = (k: number) => ({ samples: Array.from({ length: k }, () => rand() * 0.8) });
          const latHealthy: LatencyInterval[] = healthy.map(() => ({ canary: lat(20), baseline: lat(20) }));
          const good = { bad: 0, total: 20 };
          const badEvents: EventsInterval = {
            'null-canary': { canary: null, baseline: good },
            'null-baseline': { canary: good, baseline: null },
            'null-both': { canary: null, baseline: null },
            nan: { canary: { bad: Number.NaN, total: 20 }, baseline: { bad: Number.NaN, total: 20 } },
            'bad-gt-total': { canary: { bad: 30, total: 20 }, baseline: { bad: 30, total: 20 } },
            'no-intervals': { canary: null, baseline: null },
          }[how]!;
          const badLatency: LatencyInterval = {
            canary: how === 'null-baseline' ? lat(20) : how === 'nan' ? { samples: [Number.NaN] } : null,
            baseline: how === 'null-canary' ? lat(20) : null,
          };
          const series: MetricSeries[] = [
            {
              kind: 'events',
              metric: ERRORS,
              intervals:
                where === 'events' ? (how === 'no-intervals' ? [] : [...healthy, badEvents]) : healthy,
            },
            {
              kind: 'latency',
              metric: LATENCY,
              bounds: [0.25, 0.5, 1],
              intervals:
                where === 'latency'
                  ? how === 'no-intervals'
                    ? []
                    : [...latHealthy, badLatency]
                  : latHealthy,
            },
          ];
          // The threshold judge reads the canary alone: a missing baseline is not missing data to it.
          fc.pre(!(judge === 'threshold' && how === 'null-baseline'));
          expect(JUDGES[judge]({ series }).verdict).not.toBe('pass');
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });
});
