import { histogramQuantile } from '../../../canary/judges/index.ts';
import type { RolloutStream, VersionMinutes } from '../simulate.ts';
import { BOUNDS } from '../world.ts';

/** Canary values over the minutes [from, to] — what a `rate(...[window])` query returns. NaN without traffic. */
export interface WindowValues {
  orders: number;
  errorRate: number;
  etaRate: number;
  p95: number;
  overSlo: number;
}

export function windowValues(
  s: RolloutStream,
  v: VersionMinutes,
  from: number,
  to: number,
  slo: number,
): WindowValues {
  let orders = 0;
  let errors = 0;
  let processed = 0;
  let eta = 0;
  const cum = new Array<number>(BOUNDS.length).fill(0);
  for (let t = Math.max(0, from); t <= to; t++) {
    orders += v.orders[t]!;
    errors += v.errors[t]!;
    processed += v.processed[t]!;
    eta += v.eta[t]!;
    let run = 0;
    for (let k = 0; k < BOUNDS.length; k++) {
      run += v.latency[t * s.buckets + k]!;
      cum[k]! += run;
    }
  }
  const sloIndex = BOUNDS.indexOf(slo);
  return {
    orders,
    errorRate: orders > 0 ? errors / orders : Number.NaN,
    etaRate: processed > 0 ? eta / processed : Number.NaN,
    p95: processed > 0 ? (histogramQuantile(BOUNDS, cum, processed, 0.95) ?? Number.NaN) : Number.NaN,
    overSlo: processed > 0 ? (processed - cum[sloIndex]!) / processed : Number.NaN,
  };
}
