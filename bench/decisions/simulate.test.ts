import { describe, expect, it } from 'vitest';
import { type EventsInterval, type LatencyInterval, sequentialJudge } from '../../canary/judges/index.ts';
import { CATALOGUE } from '../../canary/metrics/catalogue.ts';
import { runCell } from './measure.ts';
import { metricOk } from './policies/checks.ts';
import { kayentaPolicy } from './policies/kayenta.ts';
import { oraclePolicy } from './policies/oracle.ts';
import { shipgatePolicy } from './policies/shipgate.ts';
import { windowSeries } from './policies/window.ts';
import { judgedMinute, type RolloutStream, simulateRollout, withSyntheticLoad } from './simulate.ts';
import { BOUNDS, DEFAULT_PLAN, DEFECTS, defaultWorld } from './world.ts';

const defect = (id: string) => DEFECTS.find((d) => d.id === id)!;
const metric = (id: string) => CATALOGUE.find((m) => m.id === id)!;

describe('rollout simulator', () => {
  it('is deterministic from its seed and differs across seeds', () => {
    const w = defaultWorld(6000);
    const a = simulateRollout(w, defect('errors-3'), DEFAULT_PLAN, 7);
    const b = simulateRollout(w, defect('errors-3'), DEFAULT_PLAN, 7);
    const c = simulateRollout(w, defect('errors-3'), DEFAULT_PLAN, 8);
    expect(Array.from(a.canary.errors)).toEqual(Array.from(b.canary.errors));
    expect(Array.from(a.baseline.latency)).toEqual(Array.from(b.baseline.latency));
    expect(Array.from(a.canaryLateDeliveries)).toEqual(Array.from(b.canaryLateDeliveries));
    expect(Array.from(a.canary.orders)).not.toEqual(Array.from(c.canary.orders));
  });

  it('produces the configured traffic, share and rates', () => {
    const s = simulateRollout(defaultWorld(60_000), defect('errors-3'), DEFAULT_PLAN, 1);
    const sum = (xs: Int32Array) => xs.reduce((x, y) => x + y, 0);
    const orders = sum(s.canary.orders) + sum(s.baseline.orders);
    // 24 h from 08:00 covers every hour once: about one day of orders.
    expect(orders).toBeGreaterThan(58_000);
    expect(orders).toBeLessThan(62_000);
    expect(sum(s.canary.errors) / sum(s.canary.orders)).toBeCloseTo(0.03, 2);
    expect(sum(s.baseline.errors) / sum(s.baseline.orders)).toBeCloseTo(0.005, 2);
    expect(s.weight[0]).toBe(0.01);
    expect(s.weight[s.minutes - 1]).toBe(0.5);
  });

  it('the oracle exposes no more canary orders on average than policies that keep false rollbacks ≤ 1%', () => {
    for (const d of ['ontime-80', 'p95-x3']) {
      const r = runCell(
        6000,
        defect(d),
        DEFAULT_PLAN,
        // A Kayenta setting with ≤ 1% A/A false rollbacks at every traffic level in the search.
        [
          oraclePolicy(),
          shipgatePolicy(),
          kayentaPolicy({ interval: 120, lookback: 'sliding', marginal: 50, allowedIncrease: 1 }, true),
        ],
        25,
      );
      const [oracle, ...others] = r.policies;
      for (const o of others) expect(oracle!.meanExposedCapped).toBeLessThanOrEqual(o.meanExposedCapped);
    }
  });

  it('the benchmark policy decides exactly when sequentialJudge first fails on the same data', () => {
    const world = defaultWorld(6000);
    const d = defect('ontime-80');
    const policy = shipgatePolicy();
    for (const seed of [1, 2, 3]) {
      const s = simulateRollout(world, d, DEFAULT_PLAN, seed);
      const decision = policy.decide(s, { world, defect: d, plan: DEFAULT_PLAN });
      expect(decision.rolledBack).toBe(true);
      expect(judgeAt(s, decision.minute).verdict).toBe('fail');
      expect(judgeAt(s, decision.minute - 1).verdict).not.toBe('fail');
    }
  });
});

/** Runs the pure judge on the stream's minutes 0..t, as the step controller would. */
function judgeAt(s: RolloutStream, t: number) {
  const errors: EventsInterval[] = [];
  const eta: EventsInterval[] = [];
  const latency: LatencyInterval[] = [];
  for (let u = 0; u <= t; u++) {
    const m = judgedMinute(s, u);
    errors.push(m.errors);
    eta.push(m.eta);
    latency.push(m.latency);
  }
  return sequentialJudge({
    series: [
      { kind: 'events', metric: metric('error_rate'), intervals: errors },
      { kind: 'events', metric: metric('eta_past_promise'), intervals: eta },
      { kind: 'latency', metric: metric('processing_p95'), bounds: BOUNDS, intervals: latency },
    ],
  });
}

describe('the peers’ building blocks', () => {
  it('windowed values from running totals equal the window summed directly, NaN without traffic', () => {
    const s = simulateRollout(defaultWorld(600), defect('aa'), DEFAULT_PLAN, 5);
    const w = windowSeries(s, 15, 60);
    for (const i of [0, 3, 10, 40, w.t.length - 1]) {
      const t = w.t[i]!;
      let orders = 0;
      let errors = 0;
      for (let u = Math.max(0, t - 59); u <= t; u++) {
        orders += s.canary.orders[u]!;
        errors += s.canary.errors[u]!;
      }
      expect(w.canary.orders[i]).toBe(orders);
      if (orders === 0) expect(w.canary.errorRate[i]).toBeNaN();
      else expect(w.canary.errorRate[i]).toBeCloseTo(errors / orders, 12);
    }
  });

  it('an empty window fails, passes or waits for a minimum count as the setting says', () => {
    const empty = {
      t: Int32Array.of(0),
      canary: {
        orders: Float64Array.of(0),
        errorRate: Float64Array.of(Number.NaN),
        etaRate: Float64Array.of(Number.NaN),
        p95: Float64Array.of(Number.NaN),
      },
      baseline: {
        orders: Float64Array.of(50),
        errorRate: Float64Array.of(0),
        etaRate: Float64Array.of(0.03),
        p95: Float64Array.of(0.6),
      },
    };
    expect(metricOk(empty, 0, 0, 'slo', 'nan-fails')).toBe(false);
    expect(metricOk(empty, 0, 0, 'slo', 'nan-passes')).toBe(true);
    expect(metricOk(empty, 0, 2, 'primary', 'min-20')).toBe(true);
    const slow = {
      ...empty,
      canary: {
        orders: Float64Array.of(30),
        errorRate: Float64Array.of(0),
        etaRate: Float64Array.of(0.03),
        p95: Float64Array.of(0.9),
      },
    };
    // 0.9 s is inside the 1 s SLO but 1.5× the primary's 0.6 s.
    expect(metricOk(slow, 0, 2, 'slo', 'min-20')).toBe(true);
    expect(metricOk(slow, 0, 2, 'primary', 'min-20')).toBe(false);
    expect(metricOk(slow, 0, 2, 'primary-loose', 'min-20')).toBe(true);
    expect(metricOk(slow, 0, 2, 'primary', 'min-100')).toBe(true);
  });

  it('synthetic load adds canary observations but no customer orders, and leaves the real orders as they were', () => {
    const world = defaultWorld(600);
    const d = defect('errors-3');
    const s = simulateRollout(world, d, DEFAULT_PLAN, 9);
    const loaded = withSyntheticLoad(s, world, d, 10, 9);
    const sum = (xs: Int32Array) => xs.reduce((a, b) => a + b, 0);
    expect(sum(loaded.canary.orders) - sum(s.canary.orders)).toBeGreaterThan(14_000);
    expect(sum(loaded.canary.orders) - sum(s.canary.orders)).toBeLessThan(15_000);
    expect(loaded.canaryOrdersUpTo).toBe(s.canaryOrdersUpTo);
    expect(loaded.canaryLateDeliveries).toBe(s.canaryLateDeliveries);
    expect(loaded.baseline).toBe(s.baseline);
    expect(Array.from(simulateRollout(world, d, DEFAULT_PLAN, 9).canary.orders)).toEqual(
      Array.from(s.canary.orders),
    );
    // The synthetic orders behave like the canary: about 3% of them fail.
    const extraErrors = sum(loaded.canary.errors) - sum(s.canary.errors);
    expect(extraErrors / (sum(loaded.canary.orders) - sum(s.canary.orders))).toBeCloseTo(0.03, 2);
  });
});
