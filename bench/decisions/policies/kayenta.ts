import {
  type EventsInterval,
  type JudgedMetric,
  type LatencyInterval,
  mannWhitneyJudge,
} from '../../../canary/judges/index.ts';
import { judgedMinute, type RolloutStream } from '../simulate.ts';
import { BOUNDS } from '../world.ts';
import { type Policy, SLO } from './types.ts';

/**
 * Kayenta-style judged intervals, from Spinnaker's "How canary judgment works"
 * (NetflixACAJudge) and the canary config docs: every `intervalMinutes` (60) the judge
 * compares the baseline's and canary's per-minute time series over a sliding lookback of
 * the same length, per metric by Mann-Whitney U at 98% confidence, NaN points removed,
 * empty metrics NODATA and left out; score = % of metrics passing; a score below the
 * marginal threshold (75) fails the canary stage. Implemented by shipgate's own
 * `mannWhitneyJudge`, which follows that description.
 */
const ERRORS: JudgedMetric = {
  id: 'errors',
  title: 'errors',
  indicator: 'leading',
  unit: 'ratio',
  direction: 'higher-is-worse',
  slo: { op: '<=', value: SLO.errorRate },
};
const ETA: JudgedMetric = {
  id: 'eta',
  title: 'ETA past promise',
  indicator: 'leading',
  unit: 'ratio',
  direction: 'higher-is-worse',
  slo: { op: '<=', value: SLO.etaPastPromise },
};
const P95: JudgedMetric = {
  id: 'p95',
  title: 'p95',
  indicator: 'leading',
  unit: 'seconds',
  direction: 'higher-is-worse',
  slo: { op: '<=', value: SLO.p95Seconds },
  quantile: 0.95,
};

const MARGINAL_SCORE = 75;
type Judged = { minute: number; result: ReturnType<typeof mannWhitneyJudge> };
const cache = new WeakMap<RolloutStream, Judged[]>();

export function kayentaPolicy(
  opts: { intervalMinutes?: number; confidence?: number; id?: string } = {},
): Policy {
  const interval = opts.intervalMinutes ?? 60;
  const confidence = opts.confidence ?? 0.98;
  return {
    id: opts.id ?? 'kayenta',
    label: `Kayenta-style (MWU ${confidence * 100}%, every ${interval}m)`,
    decide(s: RolloutStream) {
      for (const w of windows(s, interval)) {
        // Score the window's per-metric tests at this policy's confidence (same U and p).
        const classified = w.result.metrics.filter((m) => m.inconclusiveKind !== 'missing-data');
        if (classified.length === 0) continue;
        const high = classified.filter(
          (m) =>
            (m.statistic.p ?? 1) < 1 - confidence &&
            (m.statistic.rankBiserial ?? 0) > 0 &&
            (m.statistic.effectSize ?? 0) >= 1,
        ).length;
        const score = (100 * (classified.length - high)) / classified.length;
        if (score < MARGINAL_SCORE) return { rolledBack: true, minute: w.minute };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}

/** The judge's evidence for every judged window of a stream, computed once and shared by the variants. */
function windows(s: RolloutStream, interval: number): Judged[] {
  const hit = cache.get(s);
  if (hit) return hit;
  const out: Judged[] = [];
  for (let t = interval - 1; t < s.minutes; t += interval) {
    const errors: EventsInterval[] = [];
    const eta: EventsInterval[] = [];
    const latency: LatencyInterval[] = [];
    for (let u = t - interval + 1; u <= t; u++) {
      const m = judgedMinute(s, u);
      errors.push(m.errors);
      eta.push(m.eta);
      // A version with no processed orders has no latency series that minute (NaN → removed).
      latency.push({ canary: withOrders(m.latency.canary), baseline: withOrders(m.latency.baseline) });
    }
    const result = mannWhitneyJudge({
      series: [
        { kind: 'events', metric: ERRORS, intervals: errors },
        { kind: 'events', metric: ETA, intervals: eta },
        { kind: 'latency', metric: P95, bounds: BOUNDS, intervals: latency },
      ],
      config: { confidence: 0.98, marginalScore: MARGINAL_SCORE },
    });
    out.push({ minute: t, result });
  }
  cache.set(s, out);
  return out;
}

function withOrders(h: LatencyInterval['canary']): LatencyInterval['canary'] {
  return h && 'count' in h && h.count === 0 ? null : h;
}
