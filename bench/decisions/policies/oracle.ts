import type { RolloutStream } from '../simulate.ts';
import { bucketProbabilities, DEFECTS, etaRate, type VersionParams, type World } from '../world.ts';
import type { Policy, PolicyContext } from './types.ts';

/**
 * Wald's SPRT given the true parameters (Wald 1945): the canary's own observations,
 * H0 = the stable build's true distribution vs H1 = the defect's true distribution, on
 * the one metric the defect changes; α = β = 1%; crossing log((1−β)/α) rolls back,
 * crossing log(β/(1−α)) accepts H0 and stops watching. Among tests with these error
 * rates it minimises the expected sample size under both hypotheses (Wald–Wolfowitz),
 * so it is the floor no real policy can beat. On A/A it runs the SPRTs of every defect
 * in the grid at α/5 each (it does not know there is no defect).
 */
type Kind = 'errors' | 'eta' | 'latency';
interface Sprt {
  kind: Kind;
  /** Per-observation log-likelihood ratios: [event, non-event] or per bucket. */
  llr: Float64Array;
  upper: number;
  lower: number;
}

function sprtFor(world: World, h1: VersionParams, alpha: number, beta: number): Sprt | null {
  const h0 = world.baseline;
  const bin = (p0: number, p1: number) => Float64Array.of(Math.log(p1 / p0), Math.log((1 - p1) / (1 - p0)));
  const bounds = { upper: Math.log((1 - beta) / alpha), lower: Math.log(beta / (1 - alpha)) };
  if (h1.errorRate !== h0.errorRate)
    return { kind: 'errors', llr: bin(h0.errorRate, h1.errorRate), ...bounds };
  if (h1.onTime !== h0.onTime)
    return { kind: 'eta', llr: bin(etaRate(world, h0), etaRate(world, h1)), ...bounds };
  if (h1.latencyMedian !== h0.latencyMedian || h1.latencySigma !== h0.latencySigma) {
    const p0 = bucketProbabilities(h0);
    const p1 = bucketProbabilities(h1);
    return {
      kind: 'latency',
      llr: p0.map((p, k) => (p > 0 && p1[k]! > 0 ? Math.log(p1[k]! / p) : 0)),
      ...bounds,
    };
  }
  return null;
}

export function oraclePolicy(alpha = 0.01, beta = 0.01): Policy {
  return {
    id: 'oracle',
    label: 'oracle SPRT (true parameters)',
    decide(s: RolloutStream, ctx: PolicyContext) {
      const direct = sprtFor(ctx.world, ctx.defect.canary, alpha, beta);
      const tests = direct
        ? [direct]
        : DEFECTS.flatMap((d) => sprtFor(ctx.world, d.canary, alpha / (DEFECTS.length - 1), beta) ?? []);
      const llr = tests.map(() => 0);
      const live = tests.map(() => true);
      const c = s.canary;
      for (let t = 0; t < s.minutes; t++) {
        let anyLive = false;
        for (let i = 0; i < tests.length; i++) {
          if (!live[i]) continue;
          const sp = tests[i]!;
          if (sp.kind === 'errors')
            llr[i]! += c.errors[t]! * sp.llr[0]! + (c.orders[t]! - c.errors[t]!) * sp.llr[1]!;
          else if (sp.kind === 'eta')
            llr[i]! += c.eta[t]! * sp.llr[0]! + (c.processed[t]! - c.eta[t]!) * sp.llr[1]!;
          else for (let k = 0; k < s.buckets; k++) llr[i]! += c.latency[t * s.buckets + k]! * sp.llr[k]!;
          if (llr[i]! >= sp.upper) return { rolledBack: true, minute: t };
          if (llr[i]! <= sp.lower) live[i] = false;
          else anyLive = true;
        }
        if (!anyLive) break;
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
