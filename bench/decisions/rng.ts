/**
 * Seeded random numbers for the rollout simulator. sfc32 (Chris Doty-Humphrey's small
 * fast counter) is tiny, fast and passes PractRand; samplers are exact (no normal
 * approximations) so A/A false-rollback figures are not artefacts of the simulator.
 * Hand-written because the simulator draws millions of variates per second and the
 * per-call overhead of a general library dominates at that rate.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform on [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Poisson by inversion, in chunks of mean ≤ 30 so exp(−λ) never underflows. */
  poisson(lambda: number): number {
    let total = 0;
    let rest = lambda;
    while (rest > 0) {
      const l = Math.min(rest, 30);
      rest -= l;
      const limit = Math.exp(-l);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      total += k;
    }
    return total;
  }

  /** Binomial by the geometric waiting-time method: O(n·min(p, 1−p)) expected. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    const logq = Math.log1p(-p);
    let x = 0;
    let sum = 0;
    for (;;) {
      sum += Math.floor(Math.log(1 - this.next()) / logq) + 1;
      if (sum > n) return x;
      x++;
    }
  }

  /** Multinomial counts of n over probabilities p (summing to 1), by sequential binomials. */
  multinomial(n: number, p: Float64Array, out: Int32Array, offset: number): void {
    let left = n;
    let mass = 1;
    const last = p.length - 1;
    for (let k = 0; k < last; k++) {
      const x = left > 0 && mass > 0 ? this.binomial(left, Math.min(1, p[k]! / mass)) : 0;
      out[offset + k] = x;
      left -= x;
      mass -= p[k]!;
    }
    out[offset + last] = left;
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}
