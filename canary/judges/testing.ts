import type { EventsInterval, JudgedMetric } from './types.ts';

/** Test-only helpers: simple stream builders (seeded by core/prng.ts). */

export function binomial(rand: () => number, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (rand() < p) x++;
  return x;
}

export const ERRORS: JudgedMetric = {
  id: 'error_rate',
  title: 'Order processing errors',
  indicator: 'leading',
  unit: 'ratio',
  direction: 'higher-is-worse',
  slo: { op: '<=', value: 0.01 },
};

export const ON_TIME: JudgedMetric = {
  id: 'on_time_rate',
  title: 'On-time delivery rate',
  indicator: 'lagging',
  unit: 'ratio',
  direction: 'lower-is-worse',
  slo: { op: '>=', value: 0.95 },
  reportAs: 'good-ratio',
};

export const LATENCY: JudgedMetric = {
  id: 'processing_p95',
  title: 'Order processing latency p95',
  indicator: 'leading',
  unit: 'seconds',
  direction: 'higher-is-worse',
  slo: { op: '<=', value: 1 },
  quantile: 0.95,
};

/** Intervals of events for both versions with the given per-order bad rates and canary share. */
export function eventStream(
  rand: () => number,
  opts: { intervals: number; orders: number; share: number; baseRate: number; canaryRate: number },
): EventsInterval[] {
  const out: EventsInterval[] = [];
  for (let t = 0; t < opts.intervals; t++) {
    const nc = binomial(rand, opts.orders, opts.share);
    const nb = opts.orders - nc;
    out.push({
      end: t,
      canary: { bad: binomial(rand, nc, opts.canaryRate), total: nc },
      baseline: { bad: binomial(rand, nb, opts.baseRate), total: nb },
    });
  }
  return out;
}

/** Binomial coefficient C(n, k), as a float (small n in enumeration tests). */
export function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
}

/** Per-bucket counts of `n` lognormal latencies (median 0.25 s × scale, σ 0.5) at the given bounds (+Inf last). */
export function lognormalCounts(
  rand: () => number,
  bounds: readonly number[],
  n: number,
  scale: number,
): number[] {
  const out = new Array<number>(bounds.length + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const x = 0.25 * scale * Math.exp(0.5 * z);
    let k = 0;
    while (k < bounds.length && x > bounds[k]!) k++;
    out[k]!++;
  }
  return out;
}
