import type { EventsInterval, LatencyInterval } from '../../canary/judges/index.ts';
import { Rng } from './rng.ts';
import {
  BOUNDS,
  bucketProbabilities,
  type Defect,
  HOURLY_PROFILE,
  planMinutes,
  type StepPlan,
  type VersionParams,
  type World,
} from './world.ts';

/**
 * One simulated rollout: per virtual minute, what each version's metrics would count.
 * Arrivals are Poisson with the hourly profile; the router sends each order to the
 * canary with the step's weight, so the canary's share of orders per minute is random
 * around the weight, as in production. Per version and minute: processing errors,
 * latency histogram bucket counts (processed orders), ETA-past-promise flags; for the
 * canary also the delivery time of every order that will be late, to count the late
 * deliveries customers received before a rollback.
 */
export interface RolloutStream {
  minutes: number;
  /** Buckets per latency histogram row: BOUNDS.length + 1 (+Inf). */
  buckets: number;
  weight: Float64Array;
  canary: VersionMinutes;
  baseline: VersionMinutes;
  /** Minute (fractional) at which each late canary order is delivered, ascending. */
  canaryLateDeliveries: Float64Array;
  /** canaryOrdersUpTo[t] = canary orders received in minutes 0..t. */
  canaryOrdersUpTo: Float64Array;
}

export interface VersionMinutes {
  orders: Int32Array;
  errors: Int32Array;
  /** Processed = orders − errors: the total for latency and ETA metrics. */
  processed: Int32Array;
  eta: Int32Array;
  /** Non-cumulative bucket counts, row-major [minute][bucket]. */
  latency: Int32Array;
}

function versionMinutes(minutes: number, buckets: number): VersionMinutes {
  return {
    orders: new Int32Array(minutes),
    errors: new Int32Array(minutes),
    processed: new Int32Array(minutes),
    eta: new Int32Array(minutes),
    latency: new Int32Array(minutes * buckets),
  };
}

export function weightAt(plan: StepPlan, minute: number): number {
  let end = 0;
  for (let i = 0; i < plan.weights.length; i++) {
    end += plan.minutes[i]!;
    if (minute < end) return plan.weights[i]! / 100;
  }
  return plan.weights[plan.weights.length - 1]! / 100;
}

export function simulateRollout(world: World, defect: Defect, plan: StepPlan, seed: number): RolloutStream {
  const rng = new Rng(seed);
  const minutes = planMinutes(plan);
  const buckets = BOUNDS.length + 1;
  const stream: RolloutStream = {
    minutes,
    buckets,
    weight: new Float64Array(minutes),
    canary: versionMinutes(minutes, buckets),
    baseline: versionMinutes(minutes, buckets),
    canaryLateDeliveries: new Float64Array(0),
    canaryOrdersUpTo: new Float64Array(minutes),
  };
  const probs = { canary: bucketProbabilities(defect.canary), baseline: bucketProbabilities(world.baseline) };
  const late: number[] = [];
  const profile = HOURLY_PROFILE.slice(); // local copies: module bindings are slow in hot loops
  const [pmin, pmax] = world.promiseHours;
  let cumulative = 0;
  for (let t = 0; t < minutes; t++) {
    const hour = Math.floor(world.startHour + t / 60) % 24;
    const lambda = (world.ordersPerDay * profile[hour]!) / 100 / 60;
    const w = weightAt(plan, t);
    stream.weight[t] = w;
    const nc = rng.poisson(lambda * w);
    const nb = rng.poisson(lambda * (1 - w));
    const cold = coldFactor(plan, defect, t);
    const canaryProbs =
      cold === 1
        ? probs.canary
        : bucketProbabilities({ ...defect.canary, latencyMedian: defect.canary.latencyMedian * cold });
    const lateCanary = fill(rng, world, defect.canary, canaryProbs, stream.canary, t, nc, buckets);
    fill(rng, world, world.baseline, probs.baseline, stream.baseline, t, nb, buckets);
    for (let i = 0; i < lateCanary; i++) {
      const promise = (pmin + (pmax - pmin) * rng.next()) * 60;
      late.push(t + rng.next() + promise + rng.exponential(world.lateDelayMeanHours * 60));
    }
    cumulative += nc;
    stream.canaryOrdersUpTo[t] = cumulative;
  }
  stream.canaryLateDeliveries = Float64Array.from(late).sort();
  return stream;
}

/** The canary's latency factor at minute t: > 1 while its pods are cold after a step began. */
export function coldFactor(plan: StepPlan, defect: Defect, minute: number): number {
  const cold = defect.coldStart;
  if (!cold) return 1;
  let start = 0;
  for (const m of plan.minutes) {
    if (minute < start + m) break;
    start += m;
  }
  const s = minute - start;
  return s < cold.minutes ? 1 + cold.extra * (1 - s / cold.minutes) : 1;
}

/**
 * The same rollout with synthetic canary orders added (a load tester such as Flagger's
 * `loadtester` webhook sending `perMinute` test orders a minute to the canary, Poisson):
 * they count in the canary's metrics but are no customer's order, so exposure and late
 * deliveries stay the stream's. Drawn from a separate generator, so the real orders are
 * the same as without the load.
 */
export function withSyntheticLoad(
  stream: RolloutStream,
  world: World,
  defect: Defect,
  perMinute: number,
  seed: number,
): RolloutStream {
  const rng = new Rng((seed ^ 0x51ed270b) >>> 0);
  const { minutes, buckets } = stream;
  const extra = versionMinutes(minutes, buckets);
  const probs = bucketProbabilities(defect.canary);
  const real = stream.canary;
  const canary = versionMinutes(minutes, buckets);
  for (let t = 0; t < minutes; t++) {
    fill(rng, world, defect.canary, probs, extra, t, rng.poisson(perMinute), buckets);
    canary.orders[t] = real.orders[t]! + extra.orders[t]!;
    canary.errors[t] = real.errors[t]! + extra.errors[t]!;
    canary.processed[t] = real.processed[t]! + extra.processed[t]!;
    canary.eta[t] = real.eta[t]! + extra.eta[t]!;
  }
  for (let i = 0; i < canary.latency.length; i++) canary.latency[i] = real.latency[i]! + extra.latency[i]!;
  return { ...stream, canary };
}

/** Draws one version's minute; returns how many of its processed orders will be late. */
function fill(
  rng: Rng,
  world: World,
  v: VersionParams,
  probs: Float64Array,
  out: VersionMinutes,
  t: number,
  n: number,
  buckets: number,
): number {
  const errors = rng.binomial(n, v.errorRate);
  const ok = n - errors;
  const late = rng.binomial(ok, 1 - v.onTime);
  out.orders[t] = n;
  out.errors[t] = errors;
  out.processed[t] = ok;
  out.eta[t] = rng.binomial(late, world.etaRecall) + rng.binomial(ok - late, world.etaFalsePositive);
  rng.multinomial(ok, probs, out.latency, t * buckets);
  return late;
}

/** Observations in a version's latency row above histogram bound index j (i.e. > BOUNDS[j]). */
export function overBound(v: VersionMinutes, t: number, buckets: number, j: number): number {
  let s = 0;
  for (let k = j + 1; k < buckets; k++) s += v.latency[t * buckets + k]!;
  return s;
}

/** Late canary orders delivered by the end of `minute`. */
export function lateDeliveredBy(stream: RolloutStream, minute: number): number {
  const xs = stream.canaryLateDeliveries;
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= minute + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Minute t of a stream as the judges see it: errors over orders, ETA flags over processed
 * orders, and each version's latency as cumulative `le` buckets (+Inf excluded).
 */
export function judgedMinute(
  s: RolloutStream,
  t: number,
): { errors: EventsInterval; eta: EventsInterval; latency: LatencyInterval } {
  const histogram = (v: VersionMinutes) => {
    const buckets: number[] = [];
    let run = 0;
    for (let k = 0; k < s.buckets - 1; k++) {
      run += v.latency[t * s.buckets + k]!;
      buckets.push(run);
    }
    return { buckets, count: v.processed[t]! };
  };
  const { canary: c, baseline: b } = s;
  return {
    errors: {
      canary: { bad: c.errors[t]!, total: c.orders[t]! },
      baseline: { bad: b.errors[t]!, total: b.orders[t]! },
    },
    eta: {
      canary: { bad: c.eta[t]!, total: c.processed[t]! },
      baseline: { bad: b.eta[t]!, total: b.processed[t]! },
    },
    latency: { canary: histogram(c), baseline: histogram(b) },
  };
}
