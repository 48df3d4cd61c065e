/**
 * Log likelihood ratios of Fisher's noncentral hypergeometric distribution against the
 * central one: the one 2×2-table computation both sequential e-processes share.
 *
 * Of m marked items among n_c of one kind and n_b of the other, x are of the first kind.
 * With odds ratio ψ, P(x) ∝ C(n_c, x) C(n_b, m − x) ψ^x, so
 *
 *     log LR(ψ) = x·log ψ − (log S(ψ) − log S(1)),   S(ψ) = Σ_y C(n_c, y) C(n_b, m − y) ψ^y.
 *
 * Written here rather than taken from a library: the only JS implementations found
 * compute the probability mass, not the normaliser ratio for several ψ at once, and the
 * arithmetic is a few lines checked by hand-computed tests and properties.
 */
export class NoncentralHypergeometric {
  private base = new Float64Array(64);
  private len = 0;
  private lo = 0;
  private logS1 = 0;

  /**
   * Prepares the table (x of n_c, m marked, n_b others). Returns false when the margins
   * fix x (no information): the caller then multiplies by 1.
   */
  table(nc: number, m: number, nb: number): boolean {
    const lo = Math.max(0, m - nb);
    const hi = Math.min(nc, m);
    if (hi <= lo) return false;
    const len = hi - lo + 1;
    if (this.base.length < len) this.base = new Float64Array(len * 2);
    const base = this.base;
    // log C(nc, y) C(nb, m − y) relative to y = lo, by the ratio of consecutive terms.
    base[0] = 0;
    for (let y = lo; y < hi; y++) {
      base[y - lo + 1] = base[y - lo]! + Math.log(((nc - y) * (m - y)) / ((y + 1) * (nb - m + y + 1)));
    }
    this.len = len;
    this.lo = lo;
    this.logS1 = this.logS(0);
    return true;
  }

  /** log LR(ψ) of the prepared table for the observed x. */
  logLR(x: number, logPsi: number): number {
    return x * logPsi - (this.logS(logPsi) - this.logS1);
  }

  /** log Σ_y exp(base[y] + y·log ψ), stably. */
  private logS(logPsi: number): number {
    const { base, len, lo } = this;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < len; i++) max = Math.max(max, base[i]! + (lo + i) * logPsi);
    let sum = 0;
    for (let i = 0; i < len; i++) sum += Math.exp(base[i]! + (lo + i) * logPsi - max);
    return max + Math.log(sum);
  }
}
