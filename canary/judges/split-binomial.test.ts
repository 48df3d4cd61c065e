import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SplitBinomialEProcess } from './split-binomial.ts';

function binomPmf(x: number, m: number, p: number): number {
  let c = 1;
  for (let i = 0; i < x; i++) c = (c * (m - i)) / (i + 1);
  return c * p ** x * (1 - p) ** (m - x);
}
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
}
/** E[LR] under a hypothetical canary share of events `q`, computed exactly. */
function expectedLR(theta: number, m: number, pi: number, q: number): number {
  let e = 0;
  for (let x = 0; x <= m; x++) e += binomPmf(x, m, q) * (theta ** x / (theta * pi + 1 - pi) ** m);
  return e;
}

describe('SplitBinomialEProcess', () => {
  it('matches a hand-computed likelihood ratio', () => {
    // θ = 2, π = 0.5, 3 of 4 events on the canary: LR = 2^3 / (2·0.5 + 0.5)^4 = 8 / 5.0625.
    const ep = new SplitBinomialEProcess([{ theta: 2, weight: 1 }], true, 1, 'rate');
    ep.add(3, 100, 1, 100);
    expect(ep.eValue()).toBeCloseTo(8 / 5.0625, 10);
    // A second interval multiplies: π = 0.2, 0 of 2 events on the canary: 1 / 1.2^2.
    ep.add(0, 50, 2, 200);
    expect(ep.eValue()).toBeCloseTo(8 / 5.0625 / 1.44, 10);
  });

  it('mixes the prior once over the products (a mixture SPRT), not per interval', () => {
    const ep = new SplitBinomialEProcess(
      [
        { theta: 2, weight: 1 },
        { theta: 4, weight: 3 },
      ],
      true,
      1,
      'rate',
    );
    ep.add(2, 10, 0, 10); // π = 0.5, x = m = 2
    ep.add(1, 10, 0, 30); // π = 0.25, x = m = 1
    const lr = (t: number) => (t / (t * 0.5 + 0.5)) ** 2 * (t / (t * 0.25 + 0.75));
    expect(ep.eValue()).toBeCloseTo(0.25 * lr(2) + 0.75 * lr(4), 10);
  });

  it('odds model matches a hand-computed noncentral hypergeometric likelihood ratio', () => {
    // n_c = n_b = 2, m = 2 bad, both on the canary. Terms C(2,y)C(2,2−y) = 1, 4, 1:
    // S(1) = 6, S(ψ) = 1 + 4ψ + ψ², LR(3) = 3² · 6 / (1 + 12 + 9) = 54 / 22.
    const ep = new SplitBinomialEProcess([{ theta: 3, weight: 1 }]);
    ep.add(2, 2, 0, 2);
    expect(ep.eValue()).toBeCloseTo(54 / 22, 10);
    // Margins that determine x (every order bad) carry no information.
    const all = new SplitBinomialEProcess([{ theta: 3, weight: 1 }]);
    all.add(2, 2, 3, 3);
    expect(all.eValue()).toBe(1);
  });

  it('odds model: E[LR] = 1 under equal rates and ≤ 1 when the canary is better (exact, fixed order counts)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 1.01, max: 30, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (nc, nb, k, psi, better) => {
          const m = Math.min(k, nc + nb - 1);
          const lo = Math.max(0, m - nb);
          const hi = Math.min(nc, m);
          // Noncentral hypergeometric weights for the true odds ratio `better` ≤ 1.
          const w = (y: number, r: number) => choose(nc, y) * choose(nb, m - y) * r ** y;
          let z1 = 0;
          let zb = 0;
          for (let y = lo; y <= hi; y++) {
            z1 += w(y, 1);
            zb += w(y, better);
          }
          let e1 = 0;
          let eb = 0;
          for (let y = lo; y <= hi; y++) {
            const ep = new SplitBinomialEProcess([{ theta: psi, weight: 1 }], false);
            ep.add(y, nc, m - y, nb);
            e1 += (w(y, 1) / z1) * ep.eValue();
            eb += (w(y, better) / zb) * ep.eValue();
          }
          expect(e1).toBeCloseTo(1, 8);
          expect(eb).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { seed: 10, numRuns: 150 },
    );
  });

  it('ignores intervals without information and rejects malformed counts', () => {
    const ep = new SplitBinomialEProcess([{ theta: 3, weight: 1 }]);
    expect(ep.add(0, 10, 0, 10)).toBe(true); // no events
    expect(ep.add(2, 2, 0, 0)).toBe(true); // π = 1: baseline served nothing
    expect(ep.add(0, 0, 5, 9)).toBe(true); // π = 0
    expect(ep.eValue()).toBe(1);
    expect(ep.add(5, 3, 0, 10)).toBe(false); // bad > total
    expect(ep.add(Number.NaN, 3, 0, 10)).toBe(false);
    expect(ep.add(-1, 3, 0, 10)).toBe(false);
    expect(ep.informative).toBe(0);
  });

  it('has expectation exactly 1 per interval under "no worse" and below 1 when the canary is better', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.01, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (theta, m, pi, better) => {
          expect(expectedLR(theta, m, pi, pi)).toBeCloseTo(1, 8);
          const q = (better * pi) / (better * pi + 1 - pi); // canary `better`× the baseline's rate
          expect(expectedLR(theta, m, pi, q)).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { seed: 6, numRuns: 200 },
    );
  });

  it('keeps E[LR] ≤ 1 when order counts are fixed (hypergeometric split of events)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 90 }),
        fc.double({ min: 1.01, max: 20, noNaN: true }),
        (nc, nb, k, theta) => {
          const n = nc + nb;
          const m = Math.min(k, n);
          const pi = nc / n;
          let e = 0;
          for (let x = Math.max(0, m - nb); x <= Math.min(m, nc); x++) {
            const p = (choose(nc, x) * choose(nb, m - x)) / choose(n, m);
            e += p * (theta ** x / (theta * pi + 1 - pi) ** m);
          }
          expect(e).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('is nonnegative and finite on any valid stream', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50))
            .map(([a, b, c, d]) => [a, a + b, c, c + d] as const),
          { maxLength: 60 },
        ),
        (intervals) => {
          const ep = new SplitBinomialEProcess([
            { theta: 1.5, weight: 1 },
            { theta: 10, weight: 1 },
          ]);
          for (const [cb, ct, bb, bt] of intervals) ep.add(cb, ct, bb, bt);
          const e = ep.eValue();
          expect(e).toBeGreaterThanOrEqual(0);
          expect(Number.isNaN(e)).toBe(false);
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });

  it('pools intervals until both versions have served orders (low traffic)', () => {
    const pooled = new SplitBinomialEProcess([{ theta: 4, weight: 1 }], false, 15);
    const plain = new SplitBinomialEProcess([{ theta: 4, weight: 1 }], false, 1);
    for (const ep of [pooled, plain]) {
      ep.add(1, 1, 0, 0); // one canary order, slow; no baseline order this minute
      ep.add(0, 0, 0, 3); // three baseline orders, none slow
    }
    // Block: x = 1, m = 1, π = 1/4 → LR = 4 / (4·0.25 + 0.75) = 4 / 1.75.
    expect(pooled.eValue()).toBeCloseTo(4 / 1.75, 10);
    expect(plain.eValue()).toBe(1);
    // The cap closes a block even if one version never shows up.
    const capped = new SplitBinomialEProcess([{ theta: 4, weight: 1 }], false, 2);
    capped.add(1, 1, 0, 0);
    capped.add(1, 1, 0, 0); // closes: π = 1, no information
    capped.add(0, 0, 0, 3);
    expect(capped.eValue()).toBe(1);
  });

  it('bounds θ from above once the canary has shown many events at the baseline rate', () => {
    const ep = new SplitBinomialEProcess([{ theta: 2, weight: 1 }]);
    expect(ep.thetaUpper(0.01)).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 40; i++) ep.add(5, 100, 5, 100); // equal rates, 400 events in all
    const upper = ep.thetaUpper(0.01);
    expect(upper).toBeGreaterThan(1);
    expect(upper).toBeLessThanOrEqual(1.75);
  });
});
