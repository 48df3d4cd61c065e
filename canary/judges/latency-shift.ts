import { probit } from 'simple-statistics';
import { addMarginBlock } from './latency-margin.ts';
import { logMixture } from './log-mixture.ts';
import { NoncentralHypergeometric } from './noncentral-hypergeometric.ts';

/**
 * The sequential judge's latency e-process: "is the canary's whole latency distribution
 * shifted up against the baseline's?", from histogram bucket counts, anytime-valid.
 *
 * Alternative: the canary's latency law is the baseline's tilted by e^{δ·z}, where z is
 * an order's normal score (the standard normal quantile of its mid-rank in the
 * baseline's distribution). For a lognormal latency that is exactly a shift of δ
 * standard deviations in log-latency (a ×e^{δσ} slowdown of every order), and for any
 * other shape it is the van der Waerden analogue. Each order's latency counts, not only
 * whether it crossed one bound, which is what brings the judge near the oracle that
 * knows both distributions.
 *
 * Validity, block by block (an interval, or intervals pooled while one version has no
 * orders, as in `split-binomial.ts`): condition on the block's pooled bucket counts m_k
 * and on how many orders each version served. Under H0 ("same distribution") the
 * canary's counts c_k are then multivariate hypergeometric. Reveal them bucket by bucket
 * from the slowest: given what is revealed, c_k is hypergeometric among the orders not
 * yet revealed, and its Fisher-noncentral likelihood ratio, with an odds ratio ψ_k fixed
 * before c_k is seen, has conditional expectation 1 under H0 (≤ 1 when the canary is
 * faster, by monotone likelihood ratio). The product over buckets and blocks is a test
 * martingale whatever the ψ_k are; they are chosen to approximate the tilt:
 *
 *     ψ_k = e^{δ z_k} / mean_{j below k} e^{δ z_j}      (weights: the block's pooled counts)
 *
 * The scores z_k are a function of the baseline's earlier blocks and of this block's
 * pooled counts only (both known before any label is revealed), so the choice is
 * predictable. The e-value is the mixture over shift sizes δ (`shifts`), like the
 * events e-process's mixture over odds ratios. Cost per block: Σ_k min(m_k, n) per δ.
 *
 * With a margin (`relative` r: "the canary may be r slower"), each block's factor is
 * instead latency-margin.ts's exact likelihood ratio of a shift δ0 + δ against δ0 =
 * log(1 + r)/σ̂ (σ̂: the baseline's log-latency sd, read off its histogram so far, the
 * slope of log(bound) against the normal score of the cumulative share at that bound).
 * The null is then "the canary's normal scores are shifted by at most δ0", which for
 * lognormal latency is "at most r slower"; σ̂ comes from earlier blocks and this block's
 * pooled counts, so it is fixed before any label is revealed.
 *
 * Hand-written: no JS library offers anytime-valid rank tests; the pieces are the shared
 * noncentral hypergeometric ratio and simple-statistics' probit.
 */
export interface ShiftPoint {
  /** Shift of the canary's normal scores, in baseline standard deviations. */
  shift: number;
  weight: number;
}

/** "The canary may be `relative` slower": needs the histogram's bounds (seconds, ascending, no +Inf) for σ̂. */
export interface LatencyMargin {
  relative: number;
  bounds: readonly number[];
}

/** Fewest orders on each side of a bound for it to count in σ̂ (the histogram's tails are noisy). */
const SIGMA_MIN_TAIL = 5;

export class LatencyShiftEProcess {
  private readonly shift: Float64Array;
  private readonly logWeight: Float64Array;
  /** Σ log LR per shift. */
  private readonly logLR: Float64Array;
  /** The baseline's bucket counts from closed blocks: the reference the scores come from. */
  private readonly reference: Float64Array;
  private readonly pendingCanary: Float64Array;
  private readonly pendingBaseline: Float64Array;
  private pendingIntervals = 0;
  private readonly poolIntervals: number;
  private readonly minBlockOrders: number;
  private readonly fisher = new NoncentralHypergeometric();
  private readonly scores: Float64Array;
  /** Σ_{j<k} m_j e^{δ z_j} per bucket k, for one shift at a time. */
  private readonly weightBelow: Float64Array;
  canaryTotal = 0;
  baselineTotal = 0;
  /** Blocks that carried information. */
  informative = 0;
  private readonly margin: LatencyMargin | null;
  /** The latest block's δ0 (null shift, in sds of normal scores) and σ̂, as evidence. */
  nullShift = Number.NaN;
  sigma = Number.NaN;

  /** `buckets`: counts per interval and version, the +Inf bucket included. */
  constructor(
    shifts: readonly ShiftPoint[],
    buckets: number,
    poolIntervals = 1,
    minBlockOrders = 2,
    margin?: LatencyMargin,
  ) {
    if (shifts.length === 0) throw new RangeError('the latency shift prior needs at least one point');
    if (margin && !(margin.relative >= 0 && margin.bounds.length === buckets - 1))
      throw new RangeError('a latency margin needs relative >= 0 and one bound per finite bucket');
    this.margin = margin && margin.relative > 0 ? margin : null;
    const total = shifts.reduce((s, p) => s + p.weight, 0);
    this.shift = Float64Array.from(shifts, (p) => p.shift);
    this.logWeight = Float64Array.from(shifts, (p) => Math.log(p.weight / total));
    this.logLR = new Float64Array(shifts.length);
    this.reference = new Float64Array(buckets);
    this.pendingCanary = new Float64Array(buckets);
    this.pendingBaseline = new Float64Array(buckets);
    this.scores = new Float64Array(buckets);
    this.weightBelow = new Float64Array(buckets + 1);
    this.poolIntervals = Math.max(1, Math.floor(poolIntervals));
    this.minBlockOrders = minBlockOrders;
  }

  /**
   * Adds one interval's per-bucket counts (not cumulative). Returns false, changing
   * nothing, when they are not counts, so the caller can treat the interval as missing.
   */
  add(canary: ArrayLike<number>, baseline: ArrayLike<number>): boolean {
    const n = this.reference.length;
    if (canary.length !== n || baseline.length !== n) return false;
    let nc = 0;
    let nb = 0;
    for (let k = 0; k < n; k++) {
      const c = canary[k]!;
      const b = baseline[k]!;
      if (!(c >= 0 && b >= 0 && Number.isFinite(c) && Number.isFinite(b))) return false;
      nc += c;
      nb += b;
    }
    for (let k = 0; k < n; k++) {
      this.pendingCanary[k]! += canary[k]!;
      this.pendingBaseline[k]! += baseline[k]!;
    }
    this.canaryTotal += nc;
    this.baselineTotal += nb;
    this.pendingIntervals++;
    if (this.pendingHasBoth() || this.pendingIntervals >= this.poolIntervals) this.flush();
    return true;
  }

  /** Closes the pending block. */
  flush(): void {
    if (this.pendingIntervals === 0) return;
    this.update(this.pendingCanary, this.pendingBaseline);
    for (let k = 0; k < this.reference.length; k++) this.reference[k]! += this.pendingBaseline[k]!;
    this.pendingCanary.fill(0);
    this.pendingBaseline.fill(0);
    this.pendingIntervals = 0;
  }

  logE(): number {
    return logMixture(this.logLR, this.logWeight);
  }

  private pendingHasBoth(): boolean {
    let c = 0;
    let b = 0;
    for (let k = 0; k < this.reference.length; k++) {
      c += this.pendingCanary[k]!;
      b += this.pendingBaseline[k]!;
    }
    return c > 0 && b > 0 && c + b >= this.minBlockOrders;
  }

  private update(canary: Float64Array, baseline: Float64Array): void {
    const n = this.reference.length;
    let nc = 0;
    let total = 0;
    let refTotal = 0;
    for (let k = 0; k < n; k++) {
      nc += canary[k]!;
      total += canary[k]! + baseline[k]!;
      refTotal += this.reference[k]! + canary[k]! + baseline[k]!;
    }
    if (nc === 0 || nc === total) return;
    if (this.margin) {
      const model = this.blockModel(canary, baseline);
      if (model) {
        this.nullShift = model.delta0;
        this.sigma = model.sigma;
        if (addMarginBlock(canary, baseline, model.z, model.delta0, this.shift, this.logLR))
          this.informative++;
      }
      return;
    }
    // Normal scores of mid-ranks in the reference plus this block's pooled orders (smoothed
    // so an empty tail stays finite).
    const z = this.scores;
    let below = 0;
    for (let k = 0; k < n; k++) {
      const r = this.reference[k]! + canary[k]! + baseline[k]!;
      z[k] = probit((below + r / 2 + 0.5) / (refTotal + 1));
      below += r;
    }
    let informative = false;
    const wb = this.weightBelow;
    for (let i = 0; i < this.shift.length; i++) {
      const d = this.shift[i]!;
      wb[0] = 0;
      for (let k = 0; k < n; k++) wb[k + 1] = wb[k]! + (canary[k]! + baseline[k]!) * Math.exp(d * z[k]!);
      // Reveal from the slowest bucket down; `left` orders (`leftCanary` of them the
      // canary's) are not yet revealed.
      let left = total;
      let leftCanary = nc;
      for (let k = n - 1; k > 0 && left > 0; k--) {
        const m = canary[k]! + baseline[k]!;
        if (m === 0) continue;
        const rest = left - m;
        if (rest === 0) break;
        if (this.fisher.table(leftCanary, m, left - leftCanary)) {
          informative = true;
          const logPsi = d * z[k]! - Math.log(wb[k]! / rest);
          this.logLR[i]! += this.fisher.logLR(canary[k]!, logPsi);
        }
        left = rest;
        leftCanary -= canary[k]!;
      }
    }
    if (informative) this.informative++;
  }

  /**
   * The margin test's model for a block: per bucket the conditional mean normal score in
   * the reference plus this block's pooled orders, σ̂ and δ0 = log(1 + r)/σ̂. Null (the
   * block is skipped) until at least two bounds have SIGMA_MIN_TAIL orders on each side.
   */
  blockModel(
    canary: ArrayLike<number>,
    baseline: ArrayLike<number>,
  ): { z: Float64Array; sigma: number; delta0: number } | null {
    const margin = this.margin;
    if (!margin) return null;
    const n = this.reference.length;
    const pooled = new Float64Array(n);
    let all = 0;
    for (let k = 0; k < n; k++) {
      pooled[k] = this.reference[k]! + canary[k]! + baseline[k]!;
      all += pooled[k]!;
    }
    const z = new Float64Array(n);
    const xs: number[] = [];
    const ys: number[] = [];
    let cum = 0;
    let fLo = 0;
    let zLo = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      cum += pooled[k]!;
      const last = k === n - 1;
      // Smoothed cumulative share at the bucket's upper bound, so empty tails stay finite.
      const fHi = last ? 1 : (cum + 0.5) / (all + 1);
      const zHi = last ? Number.POSITIVE_INFINITY : probit(fHi);
      // E[Z | Z in (zLo, zHi]] = (φ(zLo) − φ(zHi)) / (Φ(zHi) − Φ(zLo)).
      z[k] = fHi > fLo ? (density(zLo) - density(zHi)) / (fHi - fLo) : 0;
      if (!last && cum >= SIGMA_MIN_TAIL && all - cum >= SIGMA_MIN_TAIL) {
        xs.push(zHi);
        ys.push(Math.log(margin.bounds[k]!));
      }
      fLo = fHi;
      zLo = zHi;
    }
    if (xs.length < 2) return null;
    const sigma = slope(xs, ys);
    if (!(sigma > 0)) return null;
    return { z, sigma, delta0: Math.log1p(margin.relative) / sigma };
  }
}

function density(z: number): number {
  return Number.isFinite(z) ? Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) : 0;
}

/** Least-squares slope of ys on xs. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}
