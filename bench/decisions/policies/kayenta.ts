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
 * (NetflixACAJudge) and the canary config docs: every `analysisIntervalMins` the judge
 * compares the baseline's and canary's per-minute time series over the lookback
 * (`lookbackMins` equal to the interval: a sliding window; none: from the start of the
 * analysis), per metric by Mann-Whitney U at 98% confidence — fixed in NetflixACAJudge
 * (`MannWhitneyClassifier(tolerance = 0.25, confLevel = 0.98, …)`), not a user setting —
 * NaN points removed (`nanStrategy: remove`), empty metrics NODATA and left out. A metric
 * is High when the canary is significantly worse and its mean ratio reaches
 * `effectSize.allowedIncrease`; score = % of metrics not High; a score below
 * `scoreThresholds.marginal` fails the canary. Implemented by shipgate's own
 * `mannWhitneyJudge`, which follows that description.
 */
export interface KayentaSetting {
  interval: number;
  lookback: 'sliding' | 'cumulative';
  marginal: number;
  allowedIncrease: number;
}

export const KAYENTA_DEFAULT: KayentaSetting = {
  interval: 60,
  lookback: 'sliding',
  marginal: 75,
  allowedIncrease: 1,
};

export function kayentaId(x: KayentaSetting): string {
  return `i${x.interval}-${x.lookback}-m${x.marginal}-ai${x.allowedIncrease}`;
}

export function kayentaConfig(x: KayentaSetting): string {
  return `\`analysisIntervalMins: ${x.interval}\`, ${x.lookback === 'sliding' ? `\`lookbackMins: ${x.interval}\`` : 'no `lookbackMins` (from the start)'}, \`scoreThresholds.marginal: ${x.marginal}\`, \`effectSize.allowedIncrease: ${x.allowedIncrease}\`; MWU at the fixed 98%`;
}

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

const CONFIDENCE = 0.98;
/** Per judged window and metric: MWU p, rank-biserial and mean ratio, or null when NODATA. */
type Judged = { minute: number; metrics: ({ p: number; rb: number; effect: number } | null)[] };
const cache = new WeakMap<RolloutStream, Map<string, Judged[]>>();

export function kayentaPolicy(x: KayentaSetting = KAYENTA_DEFAULT, grid = false): Policy {
  return {
    id: grid ? `kayenta:${kayentaId(x)}` : 'kayenta',
    label: grid
      ? `Kayenta-style ${kayentaId(x)}`
      : `Kayenta-style (MWU 98%, every ${x.interval}m; default judge)`,
    config: kayentaConfig(x),
    ...(grid ? { family: 'kayenta' as const } : {}),
    decide(s: RolloutStream) {
      for (const w of windows(s, x.interval, x.lookback)) {
        const classified = w.metrics.filter((m) => m !== null);
        if (classified.length === 0) continue;
        const high = classified.filter(
          (m) => m.p < 1 - CONFIDENCE && m.rb > 0 && m.effect >= x.allowedIncrease,
        ).length;
        const score = (100 * (classified.length - high)) / classified.length;
        if (score < x.marginal) return { rolledBack: true, minute: w.minute };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}

export function kayentaGrid(): KayentaSetting[] {
  const out: KayentaSetting[] = [];
  for (const interval of [60, 120, 240])
    for (const lookback of ['sliding', 'cumulative'] as const)
      for (const marginal of [75, 50])
        for (const allowedIncrease of [1, 1.2]) out.push({ interval, lookback, marginal, allowedIncrease });
  return out;
}

/** The judge's evidence for every judged window of a stream, computed once per shape and shared by the settings. */
function windows(s: RolloutStream, interval: number, lookback: KayentaSetting['lookback']): Judged[] {
  let perStream = cache.get(s);
  if (!perStream) {
    perStream = new Map();
    cache.set(s, perStream);
  }
  const key = `${interval}/${lookback}`;
  const hit = perStream.get(key);
  if (hit) return hit;
  const out: Judged[] = [];
  const errors: EventsInterval[] = [];
  const eta: EventsInterval[] = [];
  const latency: LatencyInterval[] = [];
  for (let t = 0; t < s.minutes; t++) {
    const m = judgedMinute(s, t);
    errors.push(m.errors);
    eta.push(m.eta);
    // A version with no processed orders has no latency series that minute (NaN → removed).
    latency.push({ canary: withOrders(m.latency.canary), baseline: withOrders(m.latency.baseline) });
    if ((t + 1) % interval !== 0) continue;
    const from = lookback === 'sliding' ? t + 1 - interval : 0;
    const result = mannWhitneyJudge({
      series: [
        { kind: 'events', metric: ERRORS, intervals: errors.slice(from) },
        { kind: 'events', metric: ETA, intervals: eta.slice(from) },
        { kind: 'latency', metric: P95, bounds: BOUNDS, intervals: latency.slice(from) },
      ],
      config: { confidence: CONFIDENCE, marginalScore: 75 },
    });
    out.push({
      minute: t,
      metrics: result.metrics.map((m) =>
        m.inconclusiveKind === 'missing-data'
          ? null
          : { p: m.statistic.p ?? 1, rb: m.statistic.rankBiserial ?? 0, effect: m.statistic.effectSize ?? 0 },
      ),
    });
  }
  perStream.set(key, out);
  return out;
}

function withOrders(h: LatencyInterval['canary']): LatencyInterval['canary'] {
  return h && 'count' in h && h.count === 0 ? null : h;
}
