import type { RolloutStream } from '../simulate.ts';
import { type DataRule, dataText, metricOk, type Reference, referenceText } from './checks.ts';
import type { Family, Policy } from './types.ts';
import { windowSeries } from './window.ts';

/**
 * Flagger-style analysis (docs.flagger.app "Metrics Analysis", and
 * pkg/controller/scheduler_metrics.go): every `analysis.interval` each metric's query is
 * run over its window (`analysis.metrics[].interval`, the query's `[{{ interval }}]`)
 * and checked against `thresholdRange`; an iteration with any metric out of range — or a
 * query with no values, which Flagger counts as a failed check — increments the failed
 * checks, and the canary is rolled back when they reach `analysis.threshold`. What a
 * window compares and what an empty window does are the MetricTemplate's query
 * (checks.ts). The documented default: 1m interval and window, threshold 5, the canary
 * against its SLOs, no data = failed check.
 */
export interface FlaggerSetting {
  interval: number;
  window: number;
  threshold: number;
  reference: Reference;
  data: DataRule;
}

export const FLAGGER_DEFAULT: FlaggerSetting = {
  interval: 1,
  window: 1,
  threshold: 5,
  reference: 'slo',
  data: 'nan-fails',
};

export function flaggerId(x: FlaggerSetting): string {
  return `i${x.interval}w${x.window}-t${x.threshold}-${x.reference}-${x.data}`;
}

export function flaggerConfig(x: FlaggerSetting): string {
  return `\`analysis.interval: ${x.interval}m\`, \`metrics[].interval: ${x.window}m\`, \`analysis.threshold: ${x.threshold}\`; \`thresholdRange.max\` on ${referenceText(x.reference)}; ${dataText(x.data, 'flagger')}`;
}

export function flaggerPolicy(
  x: FlaggerSetting = FLAGGER_DEFAULT,
  opts: { family?: Family; synthetic?: number } = {},
): Policy {
  const grid = opts.family !== undefined;
  const prefix = opts.family === 'flagger-synthetic' ? 'flagger+load' : 'flagger';
  return {
    id: grid ? `${prefix}:${flaggerId(x)}` : 'flagger',
    label: grid
      ? `Flagger-style ${flaggerId(x)}`
      : `Flagger-style (${x.interval}m, threshold ${x.threshold}; documented defaults)`,
    config: flaggerConfig(x),
    ...(opts.family ? { family: opts.family } : {}),
    ...(opts.synthetic ? { synthetic: opts.synthetic } : {}),
    decide(s: RolloutStream) {
      const w = windowSeries(s, x.interval, x.window);
      let failed = 0;
      for (let i = 0; i < w.t.length; i++) {
        const ok =
          metricOk(w, i, 0, x.reference, x.data) &&
          metricOk(w, i, 1, x.reference, x.data) &&
          metricOk(w, i, 2, x.reference, x.data);
        if (!ok && ++failed >= x.threshold) return { rolledBack: true, minute: w.t[i]! };
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}

/** The settings a competent SRE would try: longer intervals and windows, fewer or more failed checks, relative thresholds, no data not a failure. */
export function flaggerGrid(): FlaggerSetting[] {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 10],
    [5, 5],
    [5, 30],
    [15, 15],
    [15, 60],
    [30, 30],
    [60, 60],
  ];
  const out: FlaggerSetting[] = [];
  for (const [interval, window] of shapes)
    for (const threshold of [2, 5, 10])
      for (const reference of ['slo', 'primary', 'primary-loose'] as const)
        for (const data of ['nan-fails', 'nan-passes', 'min-20', 'min-100'] as const)
          out.push({ interval, window, threshold, reference, data });
  return out;
}
