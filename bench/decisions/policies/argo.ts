import type { RolloutStream } from '../simulate.ts';
import { type DataRule, dataText, metricOk, type Reference, referenceText } from './checks.ts';
import type { Policy } from './types.ts';
import { windowSeries } from './window.ts';

/**
 * Argo Rollouts-style background analysis (argo-rollouts docs "Analysis & Progressive
 * Delivery"): an AnalysisTemplate with one metric per leading indicator, each measured
 * every `interval` over the same window (`[5m]` in the query for `interval: 5m`), with
 * no `count` (it runs for the whole rollout). A measurement whose condition says failed
 * is Failed; a metric whose Failed measurements exceed `failureLimit` fails the
 * AnalysisRun and the rollout aborts. What a window compares and what a NaN does are the
 * template's query and conditions (checks.ts). An Inconclusive measurement (both
 * `successCondition` and `failureCondition` set, neither true) beyond
 * `inconclusiveLimit` pauses the rollout for a person, which this benchmark cannot score
 * as a rollback or a promotion; `failureCondition` alone, which lets NaN succeed, is the
 * automated form of "NaN is not a failure". The documented example: `interval: 5m`,
 * `successCondition: result[0] >= 0.95` (NaN fails), `failureLimit: 3`.
 */
export interface ArgoSetting {
  interval: number;
  failureLimit: number;
  reference: Reference;
  data: DataRule;
}

export const ARGO_DEFAULT: ArgoSetting = {
  interval: 5,
  failureLimit: 3,
  reference: 'slo',
  data: 'nan-fails',
};

export function argoId(x: ArgoSetting): string {
  return `i${x.interval}-fl${x.failureLimit}-${x.reference}-${x.data}`;
}

export function argoConfig(x: ArgoSetting): string {
  return `\`interval: ${x.interval}m\` (query window \`[${x.interval}m]\`), \`failureLimit: ${x.failureLimit}\`, no \`count\`; condition on ${referenceText(x.reference)}; ${dataText(x.data, 'argo')}`;
}

export function argoPolicy(x: ArgoSetting = ARGO_DEFAULT, grid = false): Policy {
  return {
    id: grid ? `argo:${argoId(x)}` : 'argo',
    label: grid
      ? `Argo Rollouts-style ${argoId(x)}`
      : `Argo Rollouts-style (${x.interval}m, failureLimit ${x.failureLimit}; documented example)`,
    config: argoConfig(x),
    ...(grid ? { family: 'argo' as const } : {}),
    decide(s: RolloutStream) {
      const w = windowSeries(s, x.interval, x.interval);
      const failures = [0, 0, 0];
      for (let i = 0; i < w.t.length; i++) {
        for (let m = 0; m < 3; m++) {
          if (!metricOk(w, i, m, x.reference, x.data) && ++failures[m]! > x.failureLimit)
            return { rolledBack: true, minute: w.t[i]! };
        }
      }
      return { rolledBack: false, minute: s.minutes - 1 };
    },
  };
}

export function argoGrid(): ArgoSetting[] {
  const out: ArgoSetting[] = [];
  for (const interval of [5, 15, 30, 60])
    for (const failureLimit of [1, 3, 10])
      for (const reference of ['slo', 'primary', 'primary-loose'] as const)
        for (const data of ['nan-fails', 'nan-passes', 'min-20', 'min-100'] as const)
          out.push({ interval, failureLimit, reference, data });
  return out;
}
