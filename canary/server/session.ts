import { appendInterval, emptySeries, type Versions } from '../controller/series.ts';
import { sequentialJudge } from '../judges/index.ts';
import type { Judge, JudgeConfig, JudgeResult, MetricSeries } from '../judges/types.ts';
import { CATALOGUE, type MetricDecl } from '../metrics/catalogue.ts';
import { advance, type Baseline } from '../sources/deltas.ts';
import type { MetricSource } from '../sources/source.ts';

/**
 * One canary analysis as the gate server sees it: each call takes a snapshot, adds the
 * interval since the last call to every series, and judges everything since the
 * analysis began. Anytime-valid, so Flagger or Argo may call as often as they like.
 * Calls are serialised: a burst of webhooks must not interleave snapshots.
 */
export interface GateSessionOptions {
  source: MetricSource;
  metrics?: readonly MetricDecl[];
  versions?: Versions;
  judge?: Judge;
  judgeConfig?: Partial<JudgeConfig>;
}

export interface GateSession {
  evaluate(): Promise<JudgeResult>;
  readonly last: JudgeResult | undefined;
  readonly evaluations: number;
}

export function createGateSession(options: GateSessionOptions): GateSession {
  const metrics = options.metrics ?? CATALOGUE;
  const versions = options.versions ?? { canary: 'canary', baseline: 'stable' };
  const judge = options.judge ?? sequentialJudge;
  let baseline: Baseline | undefined;
  let series: MetricSeries[] = emptySeries(metrics);
  let last: JudgeResult | undefined;
  let evaluations = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const once = async (): Promise<JudgeResult> => {
    const snapshot = await options.source.snapshot(metrics, [versions.canary, versions.baseline]);
    const first = baseline === undefined;
    const step = advance(baseline, snapshot);
    baseline = step.baseline;
    if (!first) series = appendInterval(series, step.interval, versions);
    const result: JudgeResult = first
      ? {
          judge: 'sequential',
          verdict: 'inconclusive',
          inconclusiveKind: 'not-enough-evidence',
          reason:
            'First look at the metrics: this is the starting point; the next call judges the traffic since.',
          metrics: [],
        }
      : judge({ series, config: options.judgeConfig });
    last = result;
    evaluations++;
    return result;
  };
  return {
    evaluate: () => {
      const run = queue.then(once, once);
      queue = run.catch(() => undefined);
      return run;
    },
    get last() {
      return last;
    },
    get evaluations() {
      return evaluations;
    },
  };
}
