import type { RolloutStream } from '../simulate.ts';
import { type Policy, SLO } from './types.ts';
import { windowValues } from './window.ts';

/**
 * Flagger-style analysis, from Flagger's documentation (docs.flagger.app "Metrics
 * Analysis" and "Deployment Strategies"): every `interval` (1m) each metric is queried
 * over its own `interval` window (1m) on the canary alone and checked against its
 * `thresholdRange`; an iteration with any metric out of range — or a query with no
 * values (no canary traffic in the window makes the rate ratio NaN, which Flagger
 * reports as "no values found" and counts as a failed check) — increments the failed
 * checks, and the canary is rolled back when failed checks reach `threshold` (5, the
 * value of the documentation's examples). Thresholds are the catalogue SLOs: success
 * rate ≥ 99%, p95 ≤ 1s, ETA past promise ≤ 5% (custom MetricTemplates).
 */
export function flaggerPolicy(opts: { interval?: number; threshold?: number } = {}): Policy {
  const interval = opts.interval ?? 1;
  const threshold = opts.threshold ?? 5;
  return {
    id: interval === 1 ? 'flagger' : `flagger-${interval}m`,
    label: interval === 1 ? 'Flagger-style (1m, threshold 5)' : `Flagger-style (${interval}m window)`,
    decide(s: RolloutStream) {
      let failed = 0;
      for (let t = 0; t < s.minutes; t++) {
        const w = windowValues(s, s.canary, t - interval + 1, t, SLO.p95Seconds);
        const ok =
          w.orders > 0 &&
          1 - w.errorRate >= 1 - SLO.errorRate &&
          w.p95 <= SLO.p95Seconds &&
          w.etaRate <= SLO.etaPastPromise;
        if (!ok && ++failed >= threshold) return { rolledBack: true, minute: t };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}
