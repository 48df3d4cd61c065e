import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateConfidenceSequence } from './rate-bounds.ts';
import { SplitBinomialEProcess } from './split-binomial.ts';
import { choose } from './testing.ts';

function binomPmf(x: number, m: number, p: number): number {
  let c = 1;
  for (let i = 0; i < x; i++) c = (c * (m - i)) / (i + 1);
  return c * p ** x * (1 - p) ** (m - x);
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

describe('SplitBinomialEProcess against a margin', () => {
  /** Fisher noncentral hypergeometric pmf of x (nc canary, nb baseline orders, m bad) at odds ratio psi. */
  function fnch(nc: number, nb: number, m: number, psi: number): Map<number, number> {
    const lo = Math.max(0, m - nb);
    const hi = Math.min(nc, m);
    const w = new Map<number, number>();
    let z = 0;
    for (let y = lo; y <= hi; y++) {
      const v = choose(nc, y) * choose(nb, m - y) * psi ** y;
      w.set(y, v);
      z += v;
    }
    for (const [y, v] of w) w.set(y, v / z);
    return w;
  }
  const PRIOR = [
    { theta: 2.5, weight: 1 },
    { theta: 5, weight: 1 },
    { theta: 10, weight: 1 },
  ];

  it('odds model, relative margin r: E[LR] = 1 at odds ratio 1+r and ≤ 1 below it (exact)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (nc, nb, k, r, below) => {
          const m = Math.min(k, nc + nb - 1);
          const expectation = (psi: number) => {
            let e = 0;
            for (const [x, p] of fnch(nc, nb, m, psi)) {
              const ep = new SplitBinomialEProcess(PRIOR, false, 1, 'odds', 2, { relative: r });
              ep.add(x, nc, m - x, nb);
              e += p * ep.eValue();
            }
            return e;
          };
          expect(expectation(1 + r)).toBeCloseTo(1, 8);
          expect(expectation((1 + r) * below)).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { seed: 31, numRuns: 150 },
    );
  });

  it('rate model, relative margin r: the share at the boundary is (1+r)π/((1+r)π+1−π); E[LR] = 1 there, ≤ 1 below', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (m, extraC, extraB, r, below) => {
          // Order counts at least m, so every split of the m events is a valid count.
          const nc = m + extraC;
          const nb = m + extraB;
          const pi = nc / (nc + nb);
          const share = (theta: number) => (theta * pi) / (theta * pi + 1 - pi);
          const expectation = (theta: number) => {
            let e = 0;
            for (let x = 0; x <= m; x++) {
              const ep = new SplitBinomialEProcess(PRIOR, false, 1, 'rate', 2, { relative: r });
              ep.add(x, nc, m - x, nb);
              e += binomPmf(x, m, share(theta)) * ep.eValue();
            }
            return e;
          };
          expect(expectation(1 + r)).toBeCloseTo(1, 8);
          expect(expectation((1 + r) * below)).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { seed: 32, numRuns: 150 },
    );
  });

  it('a relative margin tolerates a canary inside it that the plain test would flag', () => {
    const near = [{ theta: 1.3, weight: 1 }];
    const plain = new SplitBinomialEProcess(near);
    const margin = new SplitBinomialEProcess(near, true, 1, 'odds', 2, { relative: 0.5 });
    // The canary 30% worse, many events: evidence against "equal", not against "≤ 1.5×".
    for (let t = 0; t < 200; t++) {
      plain.add(13, 1000, 10, 1000);
      margin.add(13, 1000, 10, 1000);
    }
    expect(plain.logE()).toBeGreaterThan(Math.log(100));
    expect(margin.logE()).toBeLessThan(0);
    // ...and still catches a regression well beyond it.
    const bad = new SplitBinomialEProcess(PRIOR, true, 1, 'odds', 2, { relative: 0.5 });
    for (let t = 0; t < 20; t++) bad.add(40, 1000, 10, 1000);
    expect(bad.logE()).toBeGreaterThan(Math.log(100));
  });

  it('absolute margin a: E[LR] ≤ 1 for a canary at p_b + a whenever the baseline-rate bound holds p_b (exact)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.002, max: 0.2, noNaN: true }),
        fc.constantFrom<'odds' | 'rate'>('odds', 'rate'),
        (history, nc, nb, k, a, model) => {
          // History: baseline-only blocks, `history` bad of 2000 orders; p_b taken inside the bound they give.
          const fresh = () => {
            const ep = new SplitBinomialEProcess(PRIOR, false, 1, model, 2, {
              absolute: a,
              boundAlpha: 0.001,
            });
            ep.add(0, 0, history, 2000);
            return ep;
          };
          const probe = new RateConfidenceSequence(0.001);
          probe.add(history, 2000);
          const [lo, hi] = probe.interval();
          fc.pre(lo > 0 && hi + a < 1);
          const m = Math.min(k, nc + nb - 1);
          for (const pb of [lo, (lo + hi) / 2, hi]) {
            const pc = pb + a;
            let e = 0;
            if (model === 'odds') {
              const psi = (pc / (1 - pc)) * ((1 - pb) / pb);
              for (const [x, p] of fnch(nc, nb, m, psi)) {
                const ep = fresh();
                ep.add(x, nc, m - x, nb);
                e += p * ep.eValue();
              }
            } else {
              fc.pre(nc >= m && nb >= m); // Poisson counts: any split of the m events must be a valid count
              const pi = nc / (nc + nb);
              const theta = pc / pb;
              for (let x = 0; x <= m; x++) {
                const ep = fresh();
                ep.add(x, nc, m - x, nb);
                e += binomPmf(x, m, (theta * pi) / (theta * pi + 1 - pi)) * ep.eValue();
              }
            }
            expect(e).toBeLessThanOrEqual(1 + 1e-9);
          }
        },
      ),
      { seed: 33, numRuns: 150 },
    );
  });

  it('absolute margin: no evidence while the baseline rate cannot be bounded away from 0; power once it can', () => {
    const ep = new SplitBinomialEProcess(PRIOR, false, 1, 'odds', 2, { absolute: 0.002, boundAlpha: 0.001 });
    for (let t = 0; t < 5; t++) ep.add(30, 100, 0, 100); // no baseline events: "≤ p_b + 0.2 points" allows any ratio
    expect(ep.logE()).toBeCloseTo(0, 12);
    expect(ep.informative).toBe(0);
    const later = new SplitBinomialEProcess(PRIOR, false, 1, 'odds', 2, {
      absolute: 0.002,
      boundAlpha: 0.001,
    });
    later.add(0, 0, 100, 10_000); // the baseline at 1%
    for (let t = 0; t < 10; t++) later.add(5, 100, 10, 1000); // the canary at 5%: far beyond 1.2%
    expect(later.logE()).toBeGreaterThan(Math.log(100));
  });

  it('refuses an absolute margin without the α to spend on its bound, and negative margins', () => {
    expect(() => new SplitBinomialEProcess(PRIOR, false, 1, 'odds', 2, { absolute: 0.01 })).toThrow(
      RangeError,
    );
    expect(() => new SplitBinomialEProcess(PRIOR, false, 1, 'odds', 2, { relative: -0.1 })).toThrow(
      RangeError,
    );
  });
});
