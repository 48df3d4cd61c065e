import type { MetricMargin } from '../metrics/catalogue.ts';
import { checkMargin, resolveConfig } from './config.ts';
import { alphaMeaning, num, pct, reportedRatio, valueText } from './format.ts';
import { boundIndexAtQuantile, bucketCounts, observationCount, pooledQuantile } from './latency.ts';
import { LatencyShiftEProcess } from './latency-shift.ts';
import { logMeanExp } from './log-mixture.ts';
import { SplitBinomialEProcess } from './split-binomial.ts';
import type {
  EventsSeries,
  JudgeConfig,
  JudgeInput,
  JudgeResult,
  LatencyObservation,
  LatencySeries,
  MetricEvidence,
  MetricSeries,
} from './types.ts';

/**
 * shipgate's default judge: anytime-valid, canary vs baseline, on event counts.
 *
 * Per events metric, the split-by-share e-process of `split-binomial.ts` (a mixture SPRT
 * on "which version did each harmful event come from"). Per latency metric, the
 * whole-histogram shift e-process of `latency-shift.ts`: every order's latency bucket
 * counts, not only whether it crossed one bound, against the hypothesis that the canary's
 * distribution is the baseline's shifted up. (Earlier versions counted "slower than the
 * baseline's p75 / p95" events; the shift e-process needs about 40% fewer canary orders
 * for the same regression in the decision-quality benchmark.) The reported p95 values,
 * and the anytime-valid bound on the odds of an order being slower than the baseline's
 * p95 (`thetaUpper`, for the bounded-harm pass rule), are evidence for the reviewer, not
 * the test statistic.
 *
 * Metrics combine by the weighted mean of their e-values (default). The mean of
 * e-processes on one filtration is an e-process, and it dominates splitting α
 * (Bonferroni): any metric reaching K/α alone lifts the mean of K metrics to ≥ 1/α,
 * while the mean also adds up moderate evidence from several metrics. `combine: 'split'`
 * is offered for users who want per-metric thresholds.
 *
 * Margins: each metric is tested against "the canary is no worse than the baseline plus
 * its margin" (metric.margin, else `config.margins` for its kind; constructions in
 * split-binomial.ts and latency-margin.ts). An absolute events margin needs an
 * anytime-valid bound on the baseline's rate, which costs α: a tenth of α is spent on
 * those bounds (shared equally) and the e-values face 1/(0.9 α), so the total stays α.
 *
 * Verdict:
 *  - fail when the combined e-value reaches 1/α (Ville: P(false fail ever) ≤ α);
 *  - else inconclusive (missing-data) when any metric's latest interval is missing:
 *    never promote without evidence;
 *  - else pass when the pass rule holds on every leading metric (`min-samples`: at least
 *    `minCanarySamples` canary observations; `bounded-harm`: the anytime-valid upper
 *    bound on θ is at most `maxHarmRatio`). Lagging metrics (on-time rate, days late)
 *    can fail a rollout but are not waited for;
 *  - else inconclusive (not-enough-evidence).
 */

interface MetricState {
  series: MetricSeries;
  /**
   * Events: the metric's e-process. Latency: "slower than the baseline's reported
   * quantile so far" events, kept for the harm bound (`thetaUpper`) only.
   */
  events: SplitBinomialEProcess;
  /** Latency: the e-process the verdict uses. */
  shift: LatencyShiftEProcess | null;
  /** Latency: the bound `events` counted at in its latest interval (evidence). */
  bound: number;
  missing: number;
  latestMissing: boolean;
  canaryObs: LatencyObservation[];
  baselineObs: LatencyObservation[];
  canaryCount: number;
  baselineCount: number;
}

export function sequentialJudge(input: JudgeInput): JudgeResult {
  const config = resolveConfig(input.config);
  if (input.series.length === 0) {
    return {
      judge: 'sequential',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: 'No metrics were given to judge, so there is no evidence to promote on.',
      metrics: [],
    };
  }
  const margins = input.series.map((s) => marginOf(s, config));
  // α spent on baseline-rate bounds for absolute margins (a union bound keeps the total at α).
  const absolute = margins.filter((m) => (m.absolute ?? 0) > 0).length;
  const boundAlpha = absolute > 0 ? config.alpha / 10 / absolute : 0;
  const eAlpha = config.alpha - boundAlpha * absolute;
  const states = input.series.map((s, i) => foldSeries(s, config, margins[i]!, boundAlpha));
  const weights = input.series.map((s) => config.metricWeights?.[s.metric.id] ?? 1);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const logEs = states.map(metricLogE);
  const logCombined = logMeanExp(logEs, weights);
  const bar = Math.log(1 / eAlpha);
  const metricBar = (i: number) =>
    config.combine === 'mean' ? bar + Math.log(wsum / weights[i]!) : Math.log(wsum / (eAlpha * weights[i]!));
  const alarm = config.combine === 'mean' ? logCombined >= bar : logEs.some((l, i) => l >= metricBar(i));

  const evidence = states.map((st, i) =>
    metricEvidence(st, config, i, metricBar(i), alarm, logEs, weights, margins[i]!),
  );
  const combined = { eValue: Math.exp(logCombined), logEValue: logCombined, threshold: 1 / eAlpha };
  // The bar in words: 1/α, or 1/(0.9 α) when absolute margins took their share of α.
  const barText =
    eAlpha === config.alpha
      ? `1/α = ${num(1 / config.alpha)}`
      : `1/(0.9 α) = ${num(1 / eAlpha)} (a tenth of α = ${num(config.alpha)} is spent bounding the baseline's rates for absolute margins)`;

  const k = states.length;
  const mean = weights.every((w) => w === weights[0]) ? 'the mean' : 'the weighted mean';
  // The same words wherever the combined value appears, so it reads against the per-metric e-values.
  const combinedText =
    config.combine === 'mean'
      ? `the combined e-value ${num(combined.eValue)}, ${mean} of the ${k} metrics' e-values,`
      : `no metric's e-value reached its own bar, α split over the ${k} metrics`;
  if (alarm) {
    const culprits = evidence.filter((e) => e.verdict === 'fail').map((e) => e.title);
    const why =
      config.combine === 'mean'
        ? `${combinedText} reached ${barText}`
        : evidence
            .filter((e) => e.verdict === 'fail')
            .map(
              (e) =>
                `the e-value of ${e.title}, ${num(e.statistic.eValue ?? null)}, reached its bar of ${num(e.threshold.value)}`,
            )
            .join('; ') + `, α split over the ${k} metrics`;
    return {
      judge: 'sequential',
      verdict: 'fail',
      reason: `The canary is worse than the baseline on ${culprits.join(', ') || 'the combined metrics'}: ${why}. At this bar, ${alphaMeaning(config.alpha)}.`,
      metrics: evidence,
      combined,
    };
  }
  const below = config.combine === 'mean' ? `${combinedText} is below ${barText}` : combinedText;
  const missing = evidence.filter(
    (e, i) => e.inconclusiveKind === 'missing-data' || states[i]!.latestMissing,
  );
  if (missing.length > 0) {
    return {
      judge: 'sequential',
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `No alarm, but the latest data is missing for ${missing.map((e) => e.title).join(', ')}; shipgate never promotes without evidence.`,
      metrics: evidence,
      combined,
    };
  }
  const waiting = evidence.filter((e) => e.verdict !== 'pass');
  if (waiting.length > 0) {
    return {
      judge: 'sequential',
      verdict: 'inconclusive',
      inconclusiveKind: 'not-enough-evidence',
      reason: `No evidence of harm so far (${below}), but not enough canary data yet on ${waiting.map((e) => e.title).join(', ')}.`,
      metrics: evidence,
      combined,
    };
  }
  return {
    judge: 'sequential',
    verdict: 'pass',
    reason: `No evidence that the canary is worse on any metric (${below}) and every leading metric has enough canary data.`,
    metrics: evidence,
    combined,
  };
}

/** The metric's own margin, else the judge's default for its kind. */
function marginOf(series: MetricSeries, config: JudgeConfig): MetricMargin {
  const margin = series.metric.margin ?? config.margins[series.kind];
  checkMargin(margin, `margin of metric "${series.metric.id}"`);
  if (series.kind === 'latency' && (margin.absolute ?? 0) > 0)
    throw new RangeError(
      `margin of metric "${series.metric.id}": latency margins are relative (e.g. relative: 0.05 = 5% slower)`,
    );
  return margin;
}

function foldSeries(
  series: MetricSeries,
  config: JudgeConfig,
  margin: MetricMargin,
  boundAlpha: number,
): MetricState {
  const pool = config.poolIntervals;
  const state: MetricState = {
    series,
    // Latency keeps this process for the harm bound (thetaUpper) only: no margin there.
    events: new SplitBinomialEProcess(
      config.prior,
      true,
      pool,
      config.model,
      config.minBlockOrders,
      series.kind === 'events' ? { ...margin, boundAlpha } : {},
    ),
    shift:
      series.kind === 'latency'
        ? new LatencyShiftEProcess(
            config.latencyShifts,
            series.bounds.length + 1,
            pool,
            config.minBlockOrders,
            {
              relative: margin.relative ?? 0,
              bounds: series.bounds,
            },
          )
        : null,
    bound: Number.NaN,
    missing: 0,
    latestMissing: series.intervals.length === 0,
    canaryObs: [],
    baselineObs: [],
    canaryCount: 0,
    baselineCount: 0,
  };
  if (series.kind === 'events') foldEvents(series, state);
  else foldLatency(series, state);
  return state;
}

function foldEvents(series: EventsSeries, state: MetricState): void {
  const ep = state.events;
  for (const iv of series.intervals) {
    const ok =
      iv.canary !== null &&
      iv.baseline !== null &&
      ep.add(iv.canary.bad, iv.canary.total, iv.baseline.bad, iv.baseline.total);
    if (!ok) state.missing++;
    state.latestMissing = !ok;
  }
  state.canaryCount = ep.canaryTotal;
  state.baselineCount = ep.baselineTotal;
}

function foldLatency(series: LatencySeries, state: MetricState): void {
  const { bounds } = series;
  const quantile = series.metric.quantile ?? 0.95;
  // The baseline's cumulative counts per bound so far: the harm-bound process's bound for
  // interval t is chosen from t−1's, so the choice is predictable.
  const baseCum = new Float64Array(bounds.length);
  let baseCount = 0;
  for (const iv of series.intervals) {
    const c = iv.canary && bucketCounts(iv.canary, bounds);
    const b = iv.baseline && bucketCounts(iv.baseline, bounds);
    if (!c || !b || !iv.canary || !iv.baseline) {
      state.missing++;
      state.latestMissing = true;
      continue;
    }
    state.latestMissing = false;
    state.shift!.add(c, b);
    const baseTotal = sum(b);
    const j = boundIndexAtQuantile(baseCum, baseCount, quantile);
    if (j >= 0) {
      // A block must count one kind of event: close it when the bound moves.
      if (state.bound !== bounds[j]) state.events.flush();
      state.events.add(over(c, j), sum(c), over(b, j), baseTotal);
      state.bound = bounds[j]!;
    }
    let run = 0;
    for (let k = 0; k < bounds.length; k++) {
      run += b[k]!;
      baseCum[k]! += run;
    }
    baseCount += baseTotal;
    state.canaryObs.push(iv.canary);
    state.baselineObs.push(iv.baseline);
    state.canaryCount += observationCount(iv.canary);
    state.baselineCount += observationCount(iv.baseline);
  }
}

function sum(counts: Float64Array): number {
  let s = 0;
  for (const c of counts) s += c;
  return s;
}

/** Orders in buckets above bound index j. */
function over(counts: Float64Array, j: number): number {
  let s = 0;
  for (let k = j + 1; k < counts.length; k++) s += counts[k]!;
  return s;
}

/** A metric's log e-value: the shift e-process for latency, the events e-process otherwise. */
function metricLogE(state: MetricState): number {
  return state.shift ? state.shift.logE() : state.events.logE();
}

function metricEvidence(
  st: MetricState,
  config: JudgeConfig,
  index: number,
  logBar: number,
  alarm: boolean,
  allLogE: readonly number[],
  weights: readonly number[],
  margin: MetricMargin,
): MetricEvidence {
  const { series } = st;
  const metric = series.metric;
  const logE = allLogE[index]!;
  const eValue = Math.exp(logE);
  const main = st.events;
  const thetaUpper = main.thetaUpper(config.alpha);
  let canaryValue: number | null;
  let baselineValue: number | null;
  if (series.kind === 'events') {
    canaryValue = reportedRatio(metric, main.canaryBad, main.canaryTotal);
    baselineValue = reportedRatio(metric, main.baselineBad, main.baselineTotal);
  } else {
    const q = metric.quantile ?? 0.95;
    canaryValue = pooledQuantile(st.canaryObs, series.bounds, q);
    baselineValue = pooledQuantile(st.baselineObs, series.bounds, q);
  }
  const test = series.kind === 'events' ? 'sequential-split-binomial' : 'sequential-latency-shift';
  const what =
    series.kind === 'events'
      ? `canary ${main.canaryBad} bad of ${main.canaryTotal} (${pct(main.canaryTotal ? main.canaryBad / main.canaryTotal : null)}) vs baseline ${main.baselineBad} of ${main.baselineTotal} (${pct(main.baselineTotal ? main.baselineBad / main.baselineTotal : null)})`
      : `canary p${Math.round((metric.quantile ?? 0.95) * 100)} ${valueText(metric, canaryValue)} over ${st.canaryCount} orders vs baseline ${valueText(metric, baselineValue)} over ${st.baselineCount}`;
  const statistic = {
    eValue,
    logEValue: logE,
    thetaUpper: Number.isFinite(thetaUpper) ? thetaUpper : null,
    informativeIntervals: (st.shift ?? main).informative,
    ...(series.kind === 'latency' ? { boundSeconds: Number.isFinite(st.bound) ? st.bound : null } : {}),
    marginRelative: margin.relative ?? 0,
    ...(margin.absolute ? { marginAbsolute: margin.absolute } : {}),
    ...(st.shift && Number.isFinite(st.shift.nullShift) ? { nullShiftSd: st.shift.nullShift } : {}),
  };
  const hypothesis = hypothesisText(series.kind, margin);
  const threshold = {
    name:
      config.combine === 'mean'
        ? '(Σw/w)/α: this metric alone lifts the combined mean to 1/α'
        : "Σw/(w·α): this metric's share of α",
    op: '>=' as const,
    value: Number(Math.exp(logBar).toPrecision(12)),
  };
  const base = {
    metricId: metric.id,
    title: metric.title,
    test: test as MetricEvidence['test'],
    canary: {
      value: canaryValue,
      samples: st.canaryCount,
      ...(series.kind === 'events' ? { bad: main.canaryBad } : {}),
    },
    baseline: {
      value: baselineValue,
      samples: st.baselineCount,
      ...(series.kind === 'events' ? { bad: main.baselineBad } : {}),
    },
    statistic,
    threshold,
    hypothesis,
    missingIntervals: st.missing,
  };
  // In mean mode a metric "drove" the alarm when it holds at least a quarter of the combined evidence.
  const total = allLogE.reduce((s, l, i) => s + weights[i]! * Math.exp(l), 0);
  const share = total > 0 ? (weights[index]! * eValue) / total : 0;
  const drove = config.combine === 'mean' ? alarm && eValue > 1 && share >= 0.25 : logE >= logBar;
  // How this metric's e-value enters the decision, in the words the verdict's reason uses.
  const wsum = weights.reduce((a, b) => a + b, 0);
  const k = allLogE.length;
  const averaged = weights.every((w) => w === weights[0]) ? 'mean' : 'weighted mean';
  const role =
    config.combine === 'mean'
      ? `e-value ${num(eValue)}; it contributes ${num((weights[index]! * eValue) / wsum)} to the combined e-value, the ${averaged} over ${k} metrics`
      : `e-value ${num(eValue)}, against its own bar of ${num(Math.exp(logBar))}, α split over ${k} metrics`;
  if (drove) {
    return {
      ...base,
      verdict: 'fail',
      reason: `${metric.title}: ${what}; the evidence against "${hypothesis}" (${role}) is what tripped the alarm.`,
    };
  }
  if (st.latestMissing) {
    return {
      ...base,
      verdict: 'inconclusive',
      inconclusiveKind: 'missing-data',
      reason: `${metric.title}: the latest interval has no data (${st.missing} of ${series.intervals.length} intervals missing), so it cannot count towards a pass.`,
    };
  }
  const lagging = metric.indicator === 'lagging';
  const bounded = Number.isFinite(thetaUpper)
    ? `; with ${pct(1 - config.alpha)} confidence the canary's ${config.model === 'odds' ? 'odds of a bad outcome are' : 'rate is'} at most ${num(thetaUpper)}× the baseline's`
    : '';
  const enough =
    lagging ||
    (config.passRule === 'min-samples'
      ? st.canaryCount >= config.minCanarySamples
      : thetaUpper <= config.maxHarmRatio);
  if (enough) {
    return {
      ...base,
      verdict: 'pass',
      reason: `${metric.title}: ${what}; no evidence of harm, tested as "${hypothesis}" (${role})${bounded}${lagging ? ' (lagging metric: watched, not waited for)' : ''}.`,
    };
  }
  const need =
    config.passRule === 'min-samples'
      ? `${config.minCanarySamples} canary observations are needed to pass`
      : `a harm bound of ${num(config.maxHarmRatio)}× is needed to pass`;
  return {
    ...base,
    verdict: 'inconclusive',
    inconclusiveKind: 'not-enough-evidence',
    reason: `${metric.title}: ${what}; no evidence of harm yet, tested as "${hypothesis}" (${role}), but ${need}${bounded}.`,
  };
}

/**
 * What the metric's e-process tests, in a reviewer's words: "canary no worse than
 * baseline + 10%", "canary no more than 5% slower than baseline".
 */
export function hypothesisText(kind: MetricSeries['kind'], margin: MetricMargin): string {
  const r = margin.relative ?? 0;
  const a = margin.absolute ?? 0;
  const rel = `${num(r * 100)}%`;
  if (kind === 'latency')
    return r > 0 ? `canary no more than ${rel} slower than baseline` : 'canary no slower than baseline';
  // Relative to the rate of bad outcomes (late deliveries for an on-time rate).
  const what = 'canary no worse than baseline';
  const parts = [...(r > 0 ? [`+ ${rel}`] : []), ...(a > 0 ? [`+ ${num(a * 100)} points`] : [])];
  return parts.length === 0 ? what : `${what} ${parts.join(' or ')}`;
}
