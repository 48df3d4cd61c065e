import type { RolloutStream } from '../simulate.ts';
import { type Policy, SLO } from './types.ts';
import { windowValues } from './window.ts';

/**
 * Argo Rollouts-style background analysis, from the Argo Rollouts documentation
 * ("Analysis & Progressive Delivery": AnalysisTemplate with `interval: 5m`,
 * `successCondition: result[0] >= 0.95`, `failureLimit: 3`). Each metric is measured
 * every 5 minutes over a 5-minute window on the canary; a measurement whose
 * successCondition is false is Failed — including NaN results when the canary had no
 * traffic, since every comparison with NaN is false (the docs' "NaN" section suggests
 * guarding with isNaN, which the example templates do not). A metric whose failed
 * measurements exceed `failureLimit` fails the AnalysisRun and the rollout aborts.
 */
export function argoPolicy(opts: { interval?: number; failureLimit?: number } = {}): Policy {
  const interval = opts.interval ?? 5;
  const failureLimit = opts.failureLimit ?? 3;
  return {
    id: 'argo',
    label: `Argo Rollouts-style (${interval}m, failureLimit ${failureLimit})`,
    decide(s: RolloutStream) {
      const failures = [0, 0, 0];
      for (let t = interval - 1; t < s.minutes; t += interval) {
        const w = windowValues(s, s.canary, t - interval + 1, t, SLO.p95Seconds);
        const checks = [
          w.errorRate <= SLO.errorRate,
          w.p95 <= SLO.p95Seconds,
          w.etaRate <= SLO.etaPastPromise,
        ];
        for (let i = 0; i < checks.length; i++) {
          if (!checks[i] && ++failures[i]! > failureLimit) return { rolledBack: true, minute: t };
        }
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
