import { histogramQuantile } from '../../../canary/judges/index.ts';
import type { RolloutStream, VersionMinutes } from '../simulate.ts';
import { BOUNDS } from '../world.ts';

/**
 * What a `rate(...[window])` query returns for one version over a window of minutes:
 * the windowed metrics the threshold-style peers (Flagger, Argo Rollouts) check.
 * NaN where the version had no traffic in the window (0/0 in PromQL).
 */
export interface WindowSeries {
  /** Minute of each check (the window's last minute). */
  t: Int32Array;
  canary: VersionWindows;
  baseline: VersionWindows;
}

export interface VersionWindows {
  orders: Float64Array;
  errorRate: Float64Array;
  etaRate: Float64Array;
  p95: Float64Array;
}

/** Running totals of one version, so any window is two look-ups (per bucket for latency). */
interface Prefix {
  orders: Float64Array;
  errors: Float64Array;
  processed: Float64Array;
  eta: Float64Array;
  /** (minutes + 1) rows of BOUNDS.length cumulative-`le` counts. */
  le: Float64Array;
}

const prefixes = new WeakMap<VersionMinutes, Prefix>();
const series = new WeakMap<RolloutStream, Map<string, WindowSeries>>();

function prefix(s: RolloutStream, v: VersionMinutes): Prefix {
  const hit = prefixes.get(v);
  if (hit) return hit;
  const n = s.minutes;
  const B = BOUNDS.length;
  const p: Prefix = {
    orders: new Float64Array(n + 1),
    errors: new Float64Array(n + 1),
    processed: new Float64Array(n + 1),
    eta: new Float64Array(n + 1),
    le: new Float64Array((n + 1) * B),
  };
  for (let t = 0; t < n; t++) {
    p.orders[t + 1] = p.orders[t]! + v.orders[t]!;
    p.errors[t + 1] = p.errors[t]! + v.errors[t]!;
    p.processed[t + 1] = p.processed[t]! + v.processed[t]!;
    p.eta[t + 1] = p.eta[t]! + v.eta[t]!;
    let run = 0;
    for (let k = 0; k < B; k++) {
      run += v.latency[t * s.buckets + k]!;
      p.le[(t + 1) * B + k] = p.le[t * B + k]! + run;
    }
  }
  prefixes.set(v, p);
  return p;
}

/** One version's windowed values over minutes [from, to]. */
function valuesOver(p: Prefix, from: number, to: number, out: VersionWindows, i: number, le: number[]) {
  const a = Math.max(0, from);
  const b = to + 1;
  const orders = p.orders[b]! - p.orders[a]!;
  const processed = p.processed[b]! - p.processed[a]!;
  out.orders[i] = orders;
  out.errorRate[i] = orders > 0 ? (p.errors[b]! - p.errors[a]!) / orders : Number.NaN;
  out.etaRate[i] = processed > 0 ? (p.eta[b]! - p.eta[a]!) / processed : Number.NaN;
  if (processed > 0) {
    const B = BOUNDS.length;
    for (let k = 0; k < B; k++) le[k] = p.le[b * B + k]! - p.le[a * B + k]!;
    out.p95[i] = histogramQuantile(BOUNDS, le, processed, 0.95) ?? Number.NaN;
  } else out.p95[i] = Number.NaN;
}

/**
 * Every `interval` minutes (first check at minute interval − 1), each version's values
 * over the last `window` minutes (or from the start when `window` is 0: a cumulative
 * lookback). Computed once per stream and shape, shared by every setting that uses it.
 */
export function windowSeries(s: RolloutStream, interval: number, window: number): WindowSeries {
  let perStream = series.get(s);
  if (!perStream) {
    perStream = new Map();
    series.set(s, perStream);
  }
  const key = `${interval}/${window}`;
  const hit = perStream.get(key);
  if (hit) return hit;
  const n = Math.floor(s.minutes / interval);
  const make = (): VersionWindows => ({
    orders: new Float64Array(n),
    errorRate: new Float64Array(n),
    etaRate: new Float64Array(n),
    p95: new Float64Array(n),
  });
  const out: WindowSeries = { t: new Int32Array(n), canary: make(), baseline: make() };
  const pc = prefix(s, s.canary);
  const pb = prefix(s, s.baseline);
  const le = new Array<number>(BOUNDS.length).fill(0);
  for (let i = 0; i < n; i++) {
    const t = (i + 1) * interval - 1;
    const from = window > 0 ? t - window + 1 : 0;
    out.t[i] = t;
    valuesOver(pc, from, t, out.canary, i, le);
    valuesOver(pb, from, t, out.baseline, i, le);
  }
  perStream.set(key, out);
  return out;
}
