/**
 * The anytime-valid "split by share" e-process behind shipgate's default judge.
 *
 * Each harmful outcome (late delivery, error, order slower than a bound) is an event. In
 * interval t the canary served a share π_t = n_canary / (n_canary + n_baseline) of the
 * orders (measured from counts, not assumed from the router weight). Of the m_t events
 * in the interval, x_t were the canary's. If the canary's event rate is θ times the
 * baseline's, the chance that a given event is the canary's is
 *
 *     q(θ) = θπ / (θπ + 1 − π)
 *
 * and the likelihood ratio of "θ times worse" against "no worse" (θ = 1) is
 *
 *     LR_t(θ) = (q/π)^x (1−q)^(m−x) / (1−π)^(m−x) = θ^x / (θπ + 1 − π)^m.
 *
 * The e-process is E_t = Σ_k w_k Π_{s≤t} LR_s(θ_k): the product over intervals for each
 * θ in the prior, mixed once with fixed weights (a mixture SPRT). Under H0 ("canary no
 * worse", θ ≤ 1) it is a nonnegative supermartingale with E_0 = 1:
 *  - given m_t and Poisson arrivals, x_t ~ Binomial(m_t, q(θ_true)), and for θ_true ≤ 1
 *    E[LR_t(θ)] ≤ 1 for every θ > 1 (monotone likelihood ratio in x);
 *  - with a fixed number of orders per version and equal per-order rates, x_t is
 *    hypergeometric instead; LR_t is convex in x and the hypergeometric is smaller than
 *    the binomial in convex order (Hoeffding 1963, Thm 4), so E[LR_t] ≤ 1 still holds.
 * Ville's inequality then gives P(sup_t E_t ≥ 1/α) ≤ α: the false-rollback rate holds
 * however often the judge looks and whatever the step weights do. No baseline rate is
 * estimated; only event counts and the share π_t are used.
 *
 * Assumptions: within an interval both versions face the same conditions (same time of
 * day, same carriers), which the canary share design provides; events of different
 * orders are independent given the interval. Intervals where π_t is 0 or 1 (one version
 * served nothing) or with no events carry no information and multiply E by 1.
 *
 * Hand-written because no maintained JS library implements e-processes / mixture SPRTs;
 * the arithmetic is a few lines and is checked by hand-computed tests and properties.
 */

export interface PriorPoint {
  theta: number;
  weight: number;
}

/** Grid for the anytime-valid upper confidence bound on θ (evidence and the bounded-harm pass rule). */
const CS_GRID = [1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 30, 50];

export class SplitBinomialEProcess {
  private readonly theta: Float64Array;
  private readonly logTheta: Float64Array;
  private readonly logWeight: Float64Array;
  /** Σ_t log LR_t(θ_k) per prior point. */
  private readonly logLR: Float64Array;
  private readonly csTheta: Float64Array | null;
  private readonly csLogTheta: Float64Array | null;
  private readonly csLogLR: Float64Array | null;
  canaryBad = 0;
  canaryTotal = 0;
  baselineBad = 0;
  baselineTotal = 0;
  /** Intervals that carried information (both versions served orders and there were events). */
  informative = 0;
  /**
   * Pooling: at low traffic most 1-minute intervals hold orders of only one version (π = 0
   * or 1), which carry no information on their own. Consecutive intervals are pooled into
   * one block until both versions have served orders, or `poolIntervals` intervals have
   * passed. The block boundary depends only on order totals (and on `flush()` calls), never
   * on which version the events came from, so given the block's totals the split is still
   * binomial / hypergeometric under H0 and the product stays an e-process. The cap keeps a
   * block short enough that the per-order event rate can be taken as constant inside it.
   */
  private readonly poolIntervals: number;
  private pending = { canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0, intervals: 0 };

  /** `odds` (default): exact conditional test (Fisher's noncentral hypergeometric); `rate`: binomial split. */
  private readonly model: 'odds' | 'rate';
  private base = new Float64Array(64);

  constructor(
    prior: readonly PriorPoint[],
    withConfidenceSequence = true,
    poolIntervals = 1,
    model: 'odds' | 'rate' = 'odds',
  ) {
    this.model = model;
    this.poolIntervals = Math.max(1, Math.floor(poolIntervals));
    const total = prior.reduce((s, p) => s + p.weight, 0);
    this.theta = Float64Array.from(prior, (p) => p.theta);
    this.logTheta = Float64Array.from(prior, (p) => Math.log(p.theta));
    this.logWeight = Float64Array.from(prior, (p) => Math.log(p.weight / total));
    this.logLR = new Float64Array(prior.length);
    this.csTheta = withConfidenceSequence ? Float64Array.from(CS_GRID) : null;
    this.csLogTheta = withConfidenceSequence ? Float64Array.from(CS_GRID, Math.log) : null;
    this.csLogLR = withConfidenceSequence ? new Float64Array(CS_GRID.length) : null;
  }

  /**
   * Adds one interval's counts. Returns false (and changes nothing) when the counts are
   * not valid counts, so the caller can treat the interval as missing.
   */
  add(canaryBad: number, canaryTotal: number, baselineBad: number, baselineTotal: number): boolean {
    if (!validCounts(canaryBad, canaryTotal) || !validCounts(baselineBad, baselineTotal)) return false;
    this.canaryBad += canaryBad;
    this.canaryTotal += canaryTotal;
    this.baselineBad += baselineBad;
    this.baselineTotal += baselineTotal;
    const p = this.pending;
    p.canaryBad += canaryBad;
    p.canaryTotal += canaryTotal;
    p.baselineBad += baselineBad;
    p.baselineTotal += baselineTotal;
    p.intervals++;
    if ((p.canaryTotal > 0 && p.baselineTotal > 0) || p.intervals >= this.poolIntervals) this.flush();
    return true;
  }

  /** Closes the pending block (also call it when what is counted changes, e.g. a latency bound). */
  flush(): void {
    const p = this.pending;
    if (p.intervals > 0) this.update(p.canaryBad, p.canaryTotal, p.baselineBad, p.baselineTotal);
    this.pending = { canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0, intervals: 0 };
  }

  private update(canaryBad: number, canaryTotal: number, baselineBad: number, baselineTotal: number): void {
    const m = canaryBad + baselineBad;
    // Guard: with no events, or a share of 0 or 1, the block says nothing about θ.
    if (m === 0 || canaryTotal === 0 || baselineTotal === 0) return;
    if (this.model === 'rate') {
      this.informative++;
      const pi = canaryTotal / (canaryTotal + baselineTotal);
      const x = canaryBad;
      for (let k = 0; k < this.logLR.length; k++) {
        this.logLR[k]! += x * this.logTheta[k]! - m * Math.log(this.theta[k]! * pi + 1 - pi);
      }
      if (this.csTheta && this.csLogTheta && this.csLogLR) {
        for (let k = 0; k < this.csLogLR.length; k++) {
          this.csLogLR[k]! += x * this.csLogTheta[k]! - m * Math.log(this.csTheta[k]! * pi + 1 - pi);
        }
      }
      return;
    }
    this.updateOdds(canaryBad, canaryTotal, m, baselineTotal);
  }

  /**
   * Exact conditional likelihood ratio: given both versions' order counts and the
   * block's m bad outcomes, the canary's count x follows Fisher's noncentral
   * hypergeometric distribution with odds ratio ψ (central when the versions are equal):
   *   P(x) ∝ C(n_c, x) C(n_b, m − x) ψ^x,   LR(ψ) = ψ^x · S(1) / S(ψ),   S(ψ) = Σ_y C(n_c, y) C(n_b, m − y) ψ^y.
   * Unlike the binomial split it also uses the orders that were *not* bad, which matters
   * when bad outcomes are frequent (latency above the baseline's p75: a quarter of orders).
   */
  private updateOdds(x: number, nc: number, m: number, nb: number): void {
    const lo = Math.max(0, m - nb);
    const hi = Math.min(nc, m);
    if (hi <= lo) return; // x is determined by the margins: no information
    this.informative++;
    const len = hi - lo + 1;
    if (this.base.length < len) this.base = new Float64Array(len * 2);
    const base = this.base;
    // log C(nc, y) C(nb, m − y) relative to y = lo, by the ratio of consecutive terms.
    base[0] = 0;
    for (let y = lo; y < hi; y++) {
      base[y - lo + 1] = base[y - lo]! + Math.log(((nc - y) * (m - y)) / ((y + 1) * (nb - m + y + 1)));
    }
    const logS1 = logSumExpShifted(base, len, 0, lo);
    for (let k = 0; k < this.logLR.length; k++) {
      const lt = this.logTheta[k]!;
      this.logLR[k]! += x * lt - (logSumExpShifted(base, len, lt, lo) - logS1);
    }
    if (this.csLogTheta && this.csLogLR) {
      for (let k = 0; k < this.csLogLR.length; k++) {
        const lt = this.csLogTheta[k]!;
        this.csLogLR[k]! += x * lt - (logSumExpShifted(base, len, lt, lo) - logS1);
      }
    }
  }

  /** log E_t, computed with log-sum-exp so large evidence does not overflow. */
  logE(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < this.logLR.length; k++) max = Math.max(max, this.logWeight[k]! + this.logLR[k]!);
    let sum = 0;
    for (let k = 0; k < this.logLR.length; k++) sum += Math.exp(this.logWeight[k]! + this.logLR[k]! - max);
    return max + Math.log(sum);
  }

  eValue(): number {
    return Math.exp(this.logE());
  }

  /**
   * Anytime-valid upper confidence bound on θ at level 1 − alpha, on a coarse grid.
   * For each grid θ0, exp(ℓ(1) − ℓ(θ0)) is an e-process for H0': θ ≥ θ0 (a likelihood
   * ratio towards the smaller θ = 1, a supermartingale under any θ ≥ θ0 by monotone
   * likelihood ratio). θ0 is excluded once it reaches 1/alpha; since ℓ is concave in
   * log θ, exclusion is monotone past the maximum, so the bound is the first excluded
   * grid point. Infinity when nothing is excluded yet (too few events).
   */
  thetaUpper(alpha: number): number {
    if (!this.csLogLR) return Number.POSITIVE_INFINITY;
    const bar = Math.log(1 / alpha);
    for (let k = 0; k < this.csLogLR.length; k++) {
      if (-this.csLogLR[k]! >= bar) {
        // Every larger grid point must be excluded too (concavity); check to be safe.
        let all = true;
        for (let j = k + 1; j < this.csLogLR.length; j++) if (-this.csLogLR[j]! < bar) all = false;
        if (all) return CS_GRID[k]!;
      }
    }
    return Number.POSITIVE_INFINITY;
  }
}

/** log Σ_{i<len} exp(base[i] + (lo + i)·logPsi), stably. */
function logSumExpShifted(base: Float64Array, len: number, logPsi: number, lo: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < len; i++) max = Math.max(max, base[i]! + (lo + i) * logPsi);
  let sum = 0;
  for (let i = 0; i < len; i++) sum += Math.exp(base[i]! + (lo + i) * logPsi - max);
  return max + Math.log(sum);
}

function validCounts(bad: number, total: number): boolean {
  return Number.isFinite(bad) && Number.isFinite(total) && bad >= 0 && total >= 0 && bad <= total;
}
