/**
 * log Σ_k exp(logWeight_k + logLR_k): a mixture e-value in log space, by log-sum-exp so
 * strong evidence does not overflow. Shared by the e-processes (weights already normalised).
 */
export function logMixture(logLR: ArrayLike<number>, logWeight: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < logLR.length; k++) max = Math.max(max, logWeight[k]! + logLR[k]!);
  let sum = 0;
  for (let k = 0; k < logLR.length; k++) sum += Math.exp(logWeight[k]! + logLR[k]! - max);
  return max + Math.log(sum);
}

/** log of the weighted mean of exp(logE_i); weights need not be normalised. */
export function logMeanExp(logE: readonly number[], weights: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  let wsum = 0;
  for (let i = 0; i < logE.length; i++) {
    max = Math.max(max, logE[i]!);
    wsum += weights[i]!;
  }
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < logE.length; i++) s += weights[i]! * Math.exp(logE[i]! - max);
  return max + Math.log(s / wsum);
}
