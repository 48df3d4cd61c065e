import { errorFunction } from 'simple-statistics';

/**
 * Mann-Whitney U test, normal approximation with tie correction and continuity
 * correction. Hand-written because simple-statistics only offers the rank sum
 * (`wilcoxonRankSum`) without ties handling or a p-value, and no other maintained JS
 * library in our dependency set has it; the normal CDF comes from simple-statistics'
 * error function. Exact small-sample tables are not used: Kayenta uses the normal
 * approximation too, and canary windows have tens of points or more.
 */
export interface MannWhitneyResult {
  /** U of the first sample (the canary): pairs (c, b) with c > b, ties counting 1/2. */
  U: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Rank-biserial correlation 2U/(n1·n2) − 1 in [−1, 1]: > 0 means the canary tends to be larger. */
  rankBiserial: number;
  n1: number;
  n2: number;
}

export function mannWhitneyU(canary: readonly number[], baseline: readonly number[]): MannWhitneyResult {
  const n1 = canary.length;
  const n2 = baseline.length;
  const n = n1 + n2;
  // Sort each sample natively, then merge: each run of equal values gets its mean rank.
  const c = Float64Array.from(canary).sort();
  const b = Float64Array.from(baseline).sort();
  let rankSumCanary = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  let rank = 0; // ranks used so far
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && c[i]! <= b[j]!) ? c[i]! : b[j]!;
    let inC = 0;
    while (i < n1 && c[i] === v) {
      inC++;
      i++;
    }
    let inB = 0;
    while (j < n2 && b[j] === v) {
      inB++;
      j++;
    }
    const t = inC + inB;
    const meanRank = rank + (t + 1) / 2;
    rankSumCanary += inC * meanRank;
    tieTerm += t * t * t - t;
    rank += t;
  }
  const U = rankSumCanary - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  let z = 0;
  if (variance > 0) {
    const diff = U - mean;
    z = (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  }
  const p = variance > 0 ? Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) : 1;
  const rankBiserial = n1 > 0 && n2 > 0 ? (2 * U) / (n1 * n2) - 1 : 0;
  return { U, z, p, rankBiserial, n1, n2 };
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
