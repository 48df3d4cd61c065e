import {
  DEFAULT_JUDGE_CONFIG,
  type JudgeConfig,
  LatencyShiftEProcess,
  logMeanExp,
  SplitBinomialEProcess,
} from '../../../canary/judges/index.ts';
import type { RolloutStream } from '../simulate.ts';
import { BOUNDS } from '../world.ts';
import type { Policy } from './types.ts';

/**
 * shipgate's default sequential judge, evaluated after every 1-minute interval on the
 * three leading metrics (errors over orders, ETA past promise over processed orders,
 * latency histograms). It uses the judge's own e-processes and combination
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
  return {
    id,
    label,
    decide(s: RolloutStream) {
      const { prior, poolIntervals: pool, model, minBlockOrders: minBlock } = config;
      // The judge's default margins (no metric here declares its own; none absolute).
      const events = config.margins.events;
      const errors = new SplitBinomialEProcess(prior, false, pool, model, minBlock, events);
      const eta = new SplitBinomialEProcess(prior, false, pool, model, minBlock, events);
      const latency = new LatencyShiftEProcess(config.latencyShifts, s.buckets, pool, minBlock, {
        relative: config.margins.latency.relative ?? 0,
        bounds: BOUNDS,
      });
      const metricLogs = [0, 0, 0];
      const equal = [1, 1, 1];
      const c = s.canary;
      const b = s.baseline;
      const k = s.buckets;
      for (let t = 0; t < s.minutes; t++) {
        errors.add(c.errors[t]!, c.orders[t]!, b.errors[t]!, b.orders[t]!);
        eta.add(c.eta[t]!, c.processed[t]!, b.eta[t]!, b.processed[t]!);
        latency.add(c.latency.subarray(t * k, (t + 1) * k), b.latency.subarray(t * k, (t + 1) * k));
        metricLogs[0] = errors.logE();
        metricLogs[1] = eta.logE();
        metricLogs[2] = latency.logE();
        if (logMeanExp(metricLogs, equal) >= bar) return { rolledBack: true, minute: t };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
