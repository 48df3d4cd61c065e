/**
 * The anytime-valid "split by share" e-process behind shipgate's default judge.
 *
 * Each harmful outcome (late delivery, error, order slower than a bound) is an event. In
 * block t (an interval, or a few pooled ones) the canary served n_c and the baseline n_b
 * orders (measured from counts, not assumed from the router weight), m of them bad, x
 * of those the canary's. Given those margins, x carries all the evidence about whether
 * the canary is worse, and no baseline rate has to be estimated.
 *
 * Default model (`odds`): the exact conditional law. If the canary's odds of a bad
 * outcome are ψ times the baseline's, x follows Fisher's noncentral hypergeometric
 * distribution, P(x) ∝ C(n_c, x) C(n_b, m − x) ψ^x, so
 *
 *     LR_t(ψ) = ψ^x · S(1) / S(ψ),     S(ψ) = Σ_y C(n_c, y) C(n_b, m − y) ψ^y.
 *
 * Under equal rates x is central hypergeometric and E[LR_t(ψ)] = 1 exactly; when the
 * canary is better (ψ_true < 1) it is ≤ 1 (monotone likelihood ratio in x). It uses the
 * good orders too, which matters when bad outcomes are frequent (latency above the
 * baseline's p75); for rare events it coincides with the rate model.
 *
 * Rate model (`rate`, the design's starting point): with Poisson arrivals and the share
 * π = n_c/(n_c + n_b), an event is the canary's with probability θπ/(θπ + 1 − π) when its
 * rate is θ times the baseline's, so LR_t(θ) = θ^x / (θπ + 1 − π)^m. Under H0 x is
 * Binomial(m, ≤π); for fixed order counts it is hypergeometric, smaller in convex order
 * (Hoeffding 1963, Thm 4), so E[LR_t] ≤ 1 still holds.
 *
 * Either way the e-process is E_t = Σ_k w_k Π_{s≤t} LR_s(θ_k): the product over blocks for
 * each harm ratio in the prior, mixed once with fixed weights (a mixture SPRT). It is a
 * nonnegative supermartingale with E_0 = 1 under "canary no worse", and Ville's inequality
 * gives P(sup_t E_t ≥ 1/α) ≤ α: the false-rollback rate holds however often the judge
 * looks and whatever the step weights do.
 *
 * Assumptions: within a block both versions face the same conditions (time of day,
 * carriers) and per-order rates are constant; orders are independent given the block.
 * Blocks where one version served nothing, or whose margins determine x, carry no
 * information and multiply E by 1.
 *
 * Margins (the null "the canary is no worse than the baseline plus a margin"):
 *  - relative r: H0 is θ ≤ θ0 = 1 + r. Each block's factor is the likelihood ratio of the
 *    alternative θ_k·θ0 against θ0 (the prior then describes harm beyond the margin):
 *    odds model LR = (θ_k)^x · S(θ0)/S(θ_k θ0); rate model, where the canary's share of
 *    events at the boundary is θ0π/(θ0π + 1 − π), LR = θ_k^x · ((θ0π + 1 − π)/(θ_kθ0π + 1 − π))^m.
 *    Both families have a monotone likelihood ratio in x, so for every true θ ≤ θ0 the
 *    factor's conditional expectation is ≤ 1 (= 1 at θ0), and the product over blocks,
 *    mixed over the prior, is a nonnegative supermartingale under H0. In the odds model θ
 *    is the odds ratio: for a baseline rate p the tolerated rate ratio is (1+r)/(1 + r·p),
 *    i.e. 1.0989 at r = 10%, p = 1% (the rate model's θ is the rate ratio itself).
 *  - absolute a: H0 is p_c ≤ p_b + a, which is no fixed ratio: θ0(p_b) = 1 + a/p_b (rate)
 *    or odds(p_b + a)/odds(p_b) (odds) grows without bound as p_b → 0, so plugging in the
 *    baseline's observed rate would not keep validity. Instead an anytime-valid confidence
 *    sequence [L_t, U_t] for p_b at level `boundAlpha` (rate-bounds.ts, from earlier blocks'
 *    baseline counts only, so predictable) gives θ0_t = max over p in [L_t, U_t] of θ0(p)
 *    (1 + a/L_t; for odds the function is quasi-convex in p, so the max of its two ends),
 *    ∞ (the block is skipped) while L_t = 0. On the event that the sequence holds p_b, each
 *    factor is one for a θ0 at least the true bound; so P(false alarm) ≤ boundAlpha + the
 *    e-process's α (a union bound): the judge spends part of α on the bound.
 *    Both given: H0 is the more tolerant of the two, θ0_t = max(1 + r, θ0_t(a)).
 *
 * Hand-written because no maintained JS library implements e-processes / mixture SPRTs;
 * the arithmetic is a few lines and is checked by hand-computed tests and properties.
 */

import { logMixture } from './log-mixture.ts';
import { NoncentralHypergeometric } from './noncentral-hypergeometric.ts';
import { RateConfidenceSequence } from './rate-bounds.ts';

export interface PriorPoint {
  theta: number;
  weight: number;
}

/** The null's margin (see the module comment); `boundAlpha` is spent on the baseline-rate bound an absolute margin needs. */
export interface EventsMargin {
  relative?: number;
  absolute?: number;
  boundAlpha?: number;
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
  /** Blocks that carried information (both versions served orders and x was not fixed by the margins). */
  informative = 0;
  /**
   * Pooling: at low traffic most 1-minute intervals hold orders of only one version (π = 0
   * or 1), which carry no information on their own. Consecutive intervals are pooled into
   * one block until both versions have served orders and the block holds `minBlockOrders`
   * orders, or `poolIntervals` intervals have passed (one canary order among three baseline
   * orders says little; among thirty it can say a lot). The block boundary depends only on order totals (and on `flush()` calls), never
   * on which version the events came from, so given the block's totals the split is still
   * binomial / hypergeometric under H0 and the product stays an e-process. The cap keeps a
   * block short enough that the per-order event rate can be taken as constant inside it.
   */
  private readonly poolIntervals: number;
  private readonly minBlockOrders: number;
  private pending = { canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0, intervals: 0 };

  /** `odds` (default): exact conditional test (Fisher's noncentral hypergeometric); `rate`: binomial split. */
  private readonly model: 'odds' | 'rate';
  private readonly fisher = new NoncentralHypergeometric();
  /** log(1 + relative margin): the null's fixed part. */
  private readonly logRelative: number;
  private readonly absolute: number;
  /** The baseline's rate, bounded anytime-validly, for an absolute margin. */
  private readonly baselineRate: RateConfidenceSequence | null;

  constructor(
    prior: readonly PriorPoint[],
    withConfidenceSequence = true,
    poolIntervals = 1,
    model: 'odds' | 'rate' = 'odds',
    minBlockOrders = 2,
    margin: EventsMargin = {},
  ) {
    const relative = margin.relative ?? 0;
    const absolute = margin.absolute ?? 0;
    if (!(relative >= 0) || !(absolute >= 0 && absolute < 1))
      throw new RangeError(`margins must be >= 0 (absolute < 1), got ${JSON.stringify(margin)}`);
    this.logRelative = Math.log1p(relative);
    this.absolute = absolute;
    if (absolute > 0 && !(margin.boundAlpha !== undefined && margin.boundAlpha > 0 && margin.boundAlpha < 1))
      throw new RangeError('an absolute margin needs boundAlpha in (0, 1) for its baseline-rate bound');
    this.baselineRate = absolute > 0 ? new RateConfidenceSequence(margin.boundAlpha!) : null;
    this.model = model;
    this.minBlockOrders = minBlockOrders;
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
    if (
      (p.canaryTotal > 0 && p.baselineTotal > 0 && p.canaryTotal + p.baselineTotal >= this.minBlockOrders) ||
      p.intervals >= this.poolIntervals
    )
      this.flush();
    return true;
  }

  /** Closes the pending block (also call it when what is counted changes, e.g. a latency bound). */
  flush(): void {
    const p = this.pending;
    if (p.intervals > 0) this.update(p.canaryBad, p.canaryTotal, p.baselineBad, p.baselineTotal);
    this.pending = { canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0, intervals: 0 };
  }

  private update(canaryBad: number, canaryTotal: number, baselineBad: number, baselineTotal: number): void {
    // The null's bound for this block comes from earlier blocks only (predictable).
    const logTheta0 = this.logNullBound();
    this.baselineRate?.add(baselineBad, baselineTotal);
    const m = canaryBad + baselineBad;
    // Guard: with no events, or a share of 0 or 1, the block says nothing about θ.
    if (m === 0 || canaryTotal === 0 || baselineTotal === 0) return;
    if (this.model === 'rate') {
      const pi = canaryTotal / (canaryTotal + baselineTotal);
      const x = canaryBad;
      if (Number.isFinite(logTheta0)) {
        this.informative++;
        const theta0 = Math.exp(logTheta0);
        const atNull = m * Math.log(theta0 * pi + 1 - pi);
        for (let k = 0; k < this.logLR.length; k++) {
          this.logLR[k]! +=
            x * this.logTheta[k]! + atNull - m * Math.log(this.theta[k]! * theta0 * pi + 1 - pi);
        }
      }
      if (this.csTheta && this.csLogTheta && this.csLogLR) {
        for (let k = 0; k < this.csLogLR.length; k++) {
          this.csLogLR[k]! += x * this.csLogTheta[k]! - m * Math.log(this.csTheta[k]! * pi + 1 - pi);
        }
      }
      return;
    }
    this.updateOdds(canaryBad, canaryTotal, m, baselineTotal, logTheta0);
  }

  /** log θ0 for the next block: the relative margin, or the absolute one's bound if more tolerant (∞: no bound yet). */
  private logNullBound(): number {
    if (!this.baselineRate) return this.logRelative;
    const [lo, hi] = this.baselineRate.interval();
    const a = this.absolute;
    let logAbs: number;
    if (!(lo > 0) || (this.model === 'odds' && hi + a >= 1)) logAbs = Number.POSITIVE_INFINITY;
    else if (this.model === 'rate') logAbs = Math.log1p(a / lo);
    else {
      // log odds(p + a) − log odds(p): quasi-convex in p, so its max over [lo, hi] is at an end.
      const f = (p: number) => Math.log((p + a) * (1 - p)) - Math.log(p * (1 - p - a));
      logAbs = Math.max(f(lo), f(hi));
    }
    return Math.max(this.logRelative, logAbs);
  }

  /**
   * Exact conditional likelihood ratio: given both versions' order counts and the
   * block's m bad outcomes, the canary's count x follows Fisher's noncentral
   * hypergeometric distribution with odds ratio ψ (central when the versions are equal):
   *   P(x) ∝ C(n_c, x) C(n_b, m − x) ψ^x,   LR(ψ) = ψ^x · S(1) / S(ψ),   S(ψ) = Σ_y C(n_c, y) C(n_b, m − y) ψ^y.
   * Unlike the binomial split it also uses the orders that were *not* bad, which matters
   * when bad outcomes are frequent (latency above the baseline's p75: a quarter of orders).
   */
  private updateOdds(x: number, nc: number, m: number, nb: number, logTheta0: number): void {
    if (!this.fisher.table(nc, m, nb)) return; // x is determined by the margins: no information
    if (Number.isFinite(logTheta0)) {
      this.informative++;
      // LR(θ_k·θ0 against θ0); with no margin θ0 = 1 and the second term is 0.
      const atNull = logTheta0 === 0 ? 0 : this.fisher.logLR(x, logTheta0);
      for (let k = 0; k < this.logLR.length; k++)
        this.logLR[k]! += this.fisher.logLR(x, this.logTheta[k]! + logTheta0) - atNull;
    }
    if (this.csLogTheta && this.csLogLR) {
      for (let k = 0; k < this.csLogLR.length; k++)
        this.csLogLR[k]! += this.fisher.logLR(x, this.csLogTheta[k]!);
    }
  }

  /** log E_t, computed with log-sum-exp so large evidence does not overflow. */
  logE(): number {
    return logMixture(this.logLR, this.logWeight);
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

function validCounts(bad: number, total: number): boolean {
  return Number.isFinite(bad) && Number.isFinite(total) && bad >= 0 && total >= 0 && bad <= total;
}
