import { gammaln } from 'simple-statistics';

/**
 * An anytime-valid confidence sequence for a per-order rate p (the baseline's bad-outcome
 * rate), from counts: S bad among n orders. The Beta(½, ½)-mixture likelihood ratio
 *
 *     M_n(q) = B(S + ½, n − S + ½) / B(½, ½)  ÷  q^S (1 − q)^(n − S)
 *
 * is a nonnegative martingale with M_0 = 1 when the true rate is q (Robbins' mixture
 * method), so by Ville's inequality P(∃n: M_n(p) ≥ 1/α) ≤ α and {q : M_n(q) < 1/α} holds
 * p at every n with probability ≥ 1 − α. The set is an interval (−log q^S(1−q)^(n−S) is
 * convex in q), found by bisection. Used to turn an absolute margin into an odds bound
 * (split-binomial.ts); assumes the rate is constant over the counts it is fed.
 */
export class RateConfidenceSequence {
  bad = 0;
  total = 0;
  private readonly logBar: number;

  constructor(alpha: number) {
    this.logBar = Math.log(1 / alpha);
  }

  add(bad: number, total: number): void {
    this.bad += bad;
    this.total += total;
  }

  /** [lower, upper] bounds on the rate; [0, 1] before any order. */
  interval(): [number, number] {
    const { bad: s, total: n } = this;
    if (n === 0) return [0, 1];
    const logMix = gammaln(s + 0.5) + gammaln(n - s + 0.5) - gammaln(n + 1) - (gammaln(0.5) * 2 - gammaln(1));
    // log M_n(q) ≥ logBar ⇔ q excluded.
    const excluded = (q: number) => logMix - xlogy(s, q) - xlogy(n - s, 1 - q) >= this.logBar;
    const hat = s / n;
    const lower = s === 0 ? 0 : bisect(0, hat, excluded, true);
    const upper = s === n ? 1 : bisect(hat, 1, excluded, false);
    return [lower, upper];
  }
}

function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/**
 * The boundary between excluded and included points in [lo, hi]: excluded at the `lo`
 * end when `excludedLow`, at the `hi` end otherwise. Returns the conservative side
 * (the included end of the final bracket), so the interval never shrinks by rounding.
 */
function bisect(lo: number, hi: number, excluded: (q: number) => boolean, excludedLow: boolean): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 60; i++) {
    const mid = (a + b) / 2;
    if (excluded(mid) === excludedLow) a = mid;
    else b = mid;
  }
  return excludedLow ? a : b;
}
