import {
  boundIndexAtQuantile,
  DEFAULT_JUDGE_CONFIG,
  type JudgeConfig,
  logMeanExp,
  SplitBinomialEProcess,
} from '../../../canary/judges/index.ts';
import { overBound, type RolloutStream } from '../simulate.ts';
import { BOUNDS } from '../world.ts';
import type { Policy } from './types.ts';

/**
 * shipgate's default sequential judge, evaluated after every 1-minute interval on the
 * three leading metrics (errors over orders, ETA past promise over processed orders,
 * latency exceedances). It uses the judge's own e-process, bound choice and combination
 * (`canary/judges`), incrementally; `simulate.test.ts` checks that `sequentialJudge`
 * reaches the same decision in the same minute.
 */
export function shipgatePolicy(
  overrides: Partial<JudgeConfig> = {},
  id = 'shipgate',
  label = 'shipgate (sequential)',
): Policy {
  const config = { ...DEFAULT_JUDGE_CONFIG, ...overrides };
  const bar = Math.log(1 / config.alpha);
  const bounds = BOUNDS.slice(); // a local copy: module bindings are slow in this hot loop
  const fixed = config.latencyBounds?.map((b) => bounds.indexOf(b));
  const quantiles = config.latencyQuantiles;
  return {
    id,
    label,
    decide(s: RolloutStream) {
      const pool = config.poolIntervals;
      const errors = new SplitBinomialEProcess(config.prior, false, pool, config.model);
      const eta = new SplitBinomialEProcess(config.prior, false, pool, config.model);
      const n = fixed ? fixed.length : quantiles.length;
      const latency = Array.from(
        { length: n },
        () => new SplitBinomialEProcess(config.prior, false, pool, config.model),
      );
      const lastBound = latency.map(() => -1);
      const ones = latency.map(() => 1);
      const latLogs = latency.map(() => 0);
      const metricLogs = [0, 0, 0];
      const equal = [1, 1, 1];
      const nb = bounds.length;
      const baseCum = new Float64Array(nb);
      let baseCount = 0;
      const c = s.canary;
      const b = s.baseline;
      for (let t = 0; t < s.minutes; t++) {
        errors.add(c.errors[t]!, c.orders[t]!, b.errors[t]!, b.orders[t]!);
        eta.add(c.eta[t]!, c.processed[t]!, b.eta[t]!, b.processed[t]!);
        for (let i = 0; i < n; i++) {
          const j = fixed ? fixed[i]! : boundIndexAtQuantile(baseCum, baseCount, quantiles[i]!);
          if (j < 0) continue;
          if (lastBound[i] !== j) latency[i]!.flush();
          lastBound[i] = j;
          latency[i]!.add(
            overBound(c, t, s.buckets, j),
            c.processed[t]!,
            overBound(b, t, s.buckets, j),
            b.processed[t]!,
          );
          latLogs[i] = latency[i]!.logE();
        }
        let run = 0;
        for (let k = 0; k < nb; k++) {
          run += b.latency[t * s.buckets + k]!;
          baseCum[k]! += run;
        }
        baseCount += b.processed[t]!;
        metricLogs[0] = errors.logE();
        metricLogs[1] = eta.logE();
        metricLogs[2] = logMeanExp(latLogs, ones);
        const combined = logMeanExp(metricLogs, equal);
        if (combined >= bar) return { rolledBack: true, minute: t };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
