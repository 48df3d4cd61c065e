import { quantileSorted } from 'simple-statistics';
import type { LatencyObservation } from './types.ts';

/** Validated counts from one latency observation: total and, per bound, how many were slower. */
export interface Exceedances {
  count: number;
  over: number[];
}

/**
 * Counts of observations strictly above each bound. For histograms this is exact when
 * the bounds are bucket boundaries (`count − bucket[le]`); bounds that are not
 * boundaries are rejected rather than guessed. Returns null for malformed input (the
 * caller treats it as missing data): negative or non-finite counts, non-cumulative
 * buckets, or a bucket count above the total.
 */
export function exceedances(
  obs: LatencyObservation,
  histogramBounds: readonly number[],
  bounds: readonly number[],
): Exceedances | null {
  if ('samples' in obs) {
    const over = bounds.map(() => 0);
    for (const s of obs.samples) {
      if (!Number.isFinite(s) || s < 0) return null;
      for (let i = 0; i < bounds.length; i++) if (s > bounds[i]!) over[i]!++;
    }
    return { count: obs.samples.length, over };
  }
  const { buckets, count } = obs;
  if (!Number.isFinite(count) || count < 0 || buckets.length !== histogramBounds.length) return null;
  let previous = 0;
  for (const b of buckets) {
    if (!Number.isFinite(b) || b < previous || b > count) return null;
    previous = b;
  }
  const over: number[] = [];
  for (const bound of bounds) {
    const i = histogramBounds.indexOf(bound);
    if (i < 0) return null;
    over.push(count - buckets[i]!);
  }
  return { count, over };
}

/**
 * Per-bucket (not cumulative) counts of one observation: one entry per histogram bound,
 * then the +Inf bucket. Samples are binned at the same bounds (`le` semantics). Null for
 * malformed input, as `exceedances`.
 */
export function bucketCounts(
  obs: LatencyObservation,
  histogramBounds: readonly number[],
): Float64Array | null {
  const out = new Float64Array(histogramBounds.length + 1);
  if ('samples' in obs) {
    for (const s of obs.samples) {
      if (!Number.isFinite(s) || s < 0) return null;
      let k = 0;
      while (k < histogramBounds.length && s > histogramBounds[k]!) k++;
      out[k]!++;
    }
    return out;
  }
  const { buckets, count } = obs;
  if (!Number.isFinite(count) || count < 0 || buckets.length !== histogramBounds.length) return null;
  let previous = 0;
  for (let k = 0; k < buckets.length; k++) {
    const b = buckets[k]!;
    if (!Number.isFinite(b) || b < previous || b > count) return null;
    out[k] = b - previous;
    previous = b;
  }
  out[buckets.length] = count - previous;
  return out;
}

/**
 * The q-quantile of pooled observations: exact for samples; for histograms, linear
 * interpolation inside the bucket, as Prometheus' histogram_quantile does (so the value
 * a reviewer sees matches their dashboard). Null when there are no observations.
 */
export function pooledQuantile(
  observations: readonly LatencyObservation[],
  histogramBounds: readonly number[],
  q: number,
): number | null {
  const samples: number[] = [];
  const buckets = histogramBounds.map(() => 0);
  let count = 0;
  let histograms = 0;
  for (const obs of observations) {
    if ('samples' in obs) samples.push(...obs.samples);
    else {
      histograms++;
      count += obs.count;
      obs.buckets.forEach((b, i) => {
        buckets[i]! += b;
      });
    }
  }
  if (histograms === 0) {
    if (samples.length === 0) return null;
    return quantileSorted(
      samples.slice().sort((a, b) => a - b),
      q,
    );
  }
  // Mixed input: fold samples into the histogram.
  for (const s of samples) {
    count++;
    histogramBounds.forEach((bound, i) => {
      if (s <= bound) buckets[i]!++;
    });
  }
  return histogramQuantile(histogramBounds, buckets, count, q);
}

export function histogramQuantile(
  bounds: readonly number[],
  cumulative: readonly number[],
  count: number,
  q: number,
): number | null {
  if (count <= 0) return null;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < bounds.length; i++) {
    const c = cumulative[i]!;
    if (c >= rank) {
      const inBucket = c - lowerCount;
      if (inBucket <= 0) return bounds[i]!;
      return lowerBound + ((bounds[i]! - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bounds[i]!;
    lowerCount = c;
  }
  // Beyond the last finite bucket: like Prometheus, report the highest finite bound.
  return bounds[bounds.length - 1] ?? null;
}

export function observationCount(obs: LatencyObservation): number {
  return 'samples' in obs ? obs.samples.length : obs.count;
}

/**
 * Index of the smallest histogram bound at or above the q-quantile of the baseline's
 * past observations (cumulative counts per bound). Used to pick, predictably, which
 * "slower than b" events the sequential judge counts next: the choice depends only on
 * data already seen, so each interval's likelihood-ratio factor keeps expectation ≤ 1
 * under H0 and the product stays an e-process. -1 when there is no past data.
 */
export function boundIndexAtQuantile(cumulative: ArrayLike<number>, count: number, q: number): number {
  if (count <= 0) return -1;
  const rank = q * count;
  for (let i = 0; i < cumulative.length; i++) if (cumulative[i]! >= rank) return i;
  return cumulative.length - 1;
}
