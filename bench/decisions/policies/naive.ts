import { probit } from 'simple-statistics';
import { overBound, type RolloutStream } from '../simulate.ts';
import { BOUNDS } from '../world.ts';
import { LATENCY_SLO_SECONDS, type Policy } from './types.ts';

/**
 * The naive comparative gate many teams write first: a one-sided pooled two-proportion
 * z-test of canary vs baseline on cumulative counts, re-run after every 1-minute
 * interval at the 5% level, on errors, ETA past promise and orders over the latency SLO.
 * Each look is a valid fixed-sample test; looking every minute is what breaks it.
 * `naive-bonferroni` is the textbook repair: the level divided by every look it will
 * make (1,440 minutes × 3 metrics), which bounds false rollbacks by 1% at a large cost
 * in power — the calibrated peer for "equal or lower false-rollback rate".
 */
export function naivePolicy(level = 0.05, id = 'naive', label = 'naive z-test every 1m at 5%'): Policy {
  const zCrit = probit(1 - level);
  const sloIdx = BOUNDS.indexOf(LATENCY_SLO_SECONDS);
  const z = (xc: number, nc: number, xb: number, nb: number) => {
    if (nc === 0 || nb === 0) return 0;
    const p = (xc + xb) / (nc + nb);
    const se = Math.sqrt(p * (1 - p) * (1 / nc + 1 / nb));
    return se > 0 ? (xc / nc - xb / nb) / se : 0;
  };
  return {
    id,
    label,
    decide(s: RolloutStream) {
      const c = [0, 0, 0, 0, 0, 0]; // orders, errors, processed, eta, over, -
      const b = [0, 0, 0, 0, 0, 0];
      for (let t = 0; t < s.minutes; t++) {
        for (const [acc, v] of [
          [c, s.canary],
          [b, s.baseline],
        ] as const) {
          acc[0]! += v.orders[t]!;
          acc[1]! += v.errors[t]!;
          acc[2]! += v.processed[t]!;
          acc[3]! += v.eta[t]!;
          acc[4]! += overBound(v, t, s.buckets, sloIdx);
        }
        if (
          z(c[1]!, c[0]!, b[1]!, b[0]!) > zCrit ||
          z(c[3]!, c[2]!, b[3]!, b[2]!) > zCrit ||
          z(c[4]!, c[2]!, b[4]!, b[2]!) > zCrit
        ) {
          return { rolledBack: true, minute: t };
        }
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
