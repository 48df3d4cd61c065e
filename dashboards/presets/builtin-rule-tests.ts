import { stringify } from 'yaml';
import { CATALOGUE, type MetricDecl } from '../../canary/metrics/catalogue.ts';
import {
  evaluateBuckets,
  evaluateEvents,
  eventsValue,
  histogramQuantile,
  type ScrapedSample,
} from '../../canary/metrics/evaluate.ts';
import { VERSION_LABEL } from '../../canary/metrics/names.ts';
import { PROCESSING_BUCKETS, SERIES } from '../../canary/metrics/presets/builtin.ts';
import {
  type AlertRule,
  alertRules,
  CANARY_MARGIN,
  RULE_FILES,
  type RulesOptions,
  recordName,
  WINDOWS,
} from '../rules.ts';

/**
 * The built-in preset's `promtool test rules` files for its generated rules (a target's
 * own definitions get rules, not tests of data it does not have): input series of a small
 * world (the sandbox platform's series, per version, growing at a constant rate per minute)
 * and the values and alerts Prometheus must produce from them.
 *
 * The expected values do not come from PromQL: they come from the direct-scrape
 * evaluator (canary/metrics/evaluate.ts) applied to one minute's increments, so the
 * test also shows the two ways shipgate reads metrics agree. Two worlds:
 * - a bad canary (slow processing, late deliveries): the SLO and canary-worse alerts fire
 *   for exactly the metrics that are bad, and for the canary only;
 * - an A/A rollout (canary = stable): nothing fires.
 */

/** One minute of traffic of one version, as counter increments (histograms: per bucket, not cumulative). */
export interface MinuteOfTraffic {
  processed: { shipped: number; error?: number; out_of_stock: number };
  etaPastPromise: number;
  cutoffMissed: number;
  deliveries: { onTime: number; late: number };
  /** Observations per processing bucket (PROCESSING_BUCKETS, then +Inf). */
  processing: readonly number[];
}

export const HEALTHY: MinuteOfTraffic = {
  processed: { shipped: 97, error: 1, out_of_stock: 3 },
  etaPastPromise: 2,
  cutoffMissed: 1,
  deliveries: { onTime: 94, late: 3 },
  processing: [0, 5, 20, 35, 25, 10, 3, 2, 0, 0, 0, 0, 0, 0],
};

/** The processing-latency defect: slow orders, so more ETAs past promise and late deliveries. No error series at all. */
export const SLOW_CANARY: MinuteOfTraffic = {
  processed: { shipped: 19, out_of_stock: 1 },
  etaPastPromise: 2,
  cutoffMissed: 0,
  deliveries: { onTime: 17, late: 2 },
  processing: [0, 0, 1, 2, 2, 2, 1, 3, 4, 3, 2, 0, 0, 0],
};

// Constant rates make every window agree; 40m leaves the lagging alert's 30m hold time to fire.
const SAMPLES = 45;
const EVAL = '40m';
const INSTANCE = 'platform-1';

/** The world's series for one version: one minute's increments, as scraped samples. */
export function minuteSamples(version: string, t: MinuteOfTraffic): ScrapedSample[] {
  const labels = (extra: Record<string, string> = {}) => ({
    [VERSION_LABEL]: version,
    instance: INSTANCE,
    ...extra,
  });
  const out: ScrapedSample[] = [];
  for (const [outcome, value] of Object.entries(t.processed)) {
    if (value !== undefined) out.push({ name: SERIES.ordersProcessed, labels: labels({ outcome }), value });
  }
  out.push({ name: SERIES.etaPastPromise, labels: labels(), value: t.etaPastPromise });
  out.push({ name: SERIES.cutoffMissed, labels: labels(), value: t.cutoffMissed });
  out.push({ name: SERIES.deliveries, labels: labels({ on_time: 'true' }), value: t.deliveries.onTime });
  out.push({ name: SERIES.deliveries, labels: labels({ on_time: 'false' }), value: t.deliveries.late });
  const les = [...PROCESSING_BUCKETS.map(String), '+Inf'];
  if (t.processing.length !== les.length) throw new Error(`processing needs ${les.length} buckets`);
  let cumulative = 0;
  les.forEach((le, i) => {
    cumulative += t.processing[i] ?? 0;
    out.push({ name: `${SERIES.processingSeconds}_bucket`, labels: labels({ le }), value: cumulative });
  });
  out.push({ name: `${SERIES.processingSeconds}_count`, labels: labels(), value: cumulative });
  return out;
}

/** A metric's value per version from one minute's increments (constant rates: any window gives the same). */
export function expectedValues(metric: MetricDecl, samples: readonly ScrapedSample[]): Map<string, number> {
  const out = new Map<string, number>();
  if (metric.kind === 'events') {
    for (const [version, counts] of evaluateEvents(metric, samples)) {
      // PromQL's `or 0 * total`: a bad series that never fired counts as zero.
      if (counts.total !== undefined)
        out.set(version, eventsValue(metric, { bad: counts.bad ?? 0, total: counts.total }));
    }
  } else if (metric.kind === 'quantile') {
    for (const [version, buckets] of evaluateBuckets(metric, samples)) {
      const les = [...buckets.keys()].sort((a, b) => a - b);
      out.set(
        version,
        histogramQuantile(
          metric.quantile,
          les,
          les.map((le) => buckets.get(le) ?? 0),
        ),
      );
    }
  }
  return out;
}

const round4 = (v: number) => Math.floor(v * 10_000 + 0.5) / 10_000;

function violatesSlo(metric: MetricDecl, v: number): boolean {
  if (!metric.slo) return false;
  return metric.slo.op === '>=' ? v < metric.slo.value : v > metric.slo.value;
}

/** The canary-worse condition as the alert states it (rules.ts), on exact values. */
function clearlyWorse(metric: MetricDecl, canary: number, baseline: number): boolean {
  const floor = metric.unit === 'seconds' ? CANARY_MARGIN.seconds : CANARY_MARGIN.ratio;
  const r = CANARY_MARGIN.relative;
  if (metric.direction === 'higher-is-worse') return canary > (1 + r) * baseline + floor;
  if (metric.unit === 'ratio') return canary < baseline - r * (1 - baseline) - floor;
  return canary < (1 - r) * baseline - floor;
}

/** Expands the two template forms the rules use: `{{ $labels.x }}` and `{{ printf "%.4f" $value }}`. */
function expand(template: string, labels: Record<string, string>, value: number): string {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\{\{ printf "%\.4f" \$value \}\}/g, () => value.toFixed(4));
}

interface TestGroup {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  promql_expr_test: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[];
  alert_rule_test: {
    eval_time: string;
    alertname: string;
    exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
  }[];
}

function seriesText(s: ScrapedSample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${s.name}{${labels}}`;
}

function testGroup(name: string, world: Record<string, MinuteOfTraffic>, options: RulesOptions): TestGroup {
  const catalogue = (options.catalogue ?? CATALOGUE).filter((m) => m.kind !== 'raw');
  const canary = options.canary ?? 'canary';
  const baseline = options.baseline ?? 'stable';
  const samples = Object.entries(world).flatMap(([version, t]) => minuteSamples(version, t));
  const values = new Map(catalogue.map((m) => [m.id, expectedValues(m, samples)]));

  const promql_expr_test = catalogue.flatMap((metric) =>
    WINDOWS.map((window) => ({
      expr: `round(${recordName(metric, window)}, 0.0001)`,
      eval_time: EVAL,
      exp_samples: [...(values.get(metric.id) ?? new Map<string, number>())]
        .filter(([, v]) => Number.isFinite(v))
        .map(([version, v]) => ({ labels: `{${VERSION_LABEL}="${version}"}`, value: round4(v) })),
    })),
  );
  // The counts behind one ratio, to pin the increase() rules too: five minutes of increments.
  const perMinute = (series: string, matchers: Record<string, string>) =>
    samples.filter((s) => s.name === series && Object.entries(matchers).every(([k, v]) => s.labels[k] === v));
  promql_expr_test.push({
    expr: 'round(shipgate:on_time_rate_total:increase5m)',
    eval_time: EVAL,
    exp_samples: Object.keys(world).map((version) => ({
      labels: `{${VERSION_LABEL}="${version}"}`,
      value: 5 * perMinute(SERIES.deliveries, { [VERSION_LABEL]: version }).reduce((a, s) => a + s.value, 0),
    })),
  });

  const alerts = alertRules(options).groups.flatMap((g) => g.rules);
  const byName = new Map<string, AlertRule[]>();
  for (const rule of alerts) byName.set(rule.alert, [...(byName.get(rule.alert) ?? []), rule]);
  const alert_rule_test = [...byName].map(([alertname, rules]) => ({
    eval_time: EVAL,
    alertname,
    exp_alerts: rules.flatMap((rule) => {
      const metric = catalogue.find((m) => m.id === rule.labels['metric'])!;
      const v = values.get(metric.id) ?? new Map<string, number>();
      const firing: [string, number][] =
        alertname === 'ShipgateCanaryWorseThanBaseline'
          ? v.has(canary) && v.has(baseline) && clearlyWorse(metric, v.get(canary)!, v.get(baseline)!)
            ? [[canary, v.get(canary)!]]
            : []
          : [...v].filter(([, x]) => violatesSlo(metric, x));
      return firing.map(([version, value]) => {
        const labels = { ...rule.labels, [VERSION_LABEL]: version };
        return {
          exp_labels: labels,
          exp_annotations: Object.fromEntries(
            Object.entries(rule.annotations).map(([k, t]) => [k, expand(t, labels, value)]),
          ),
        };
      });
    }),
  }));

  return {
    name,
    interval: '1m',
    input_series: samples.map((s) => ({ series: seriesText(s), values: `0+${s.value}x${SAMPLES}` })),
    promql_expr_test,
    alert_rule_test,
  };
}

/** The promtool test file (`promtool test rules rules.test.yml`), next to the two rule files. */
export function ruleTests(options: RulesOptions = {}): object {
  const canary = options.canary ?? 'canary';
  const baseline = options.baseline ?? 'stable';
  return {
    rule_files: [RULE_FILES.recording, RULE_FILES.alerts],
    evaluation_interval: '1m',
    tests: [
      testGroup(
        'bad canary: slow processing, late deliveries',
        { [baseline]: HEALTHY, [canary]: SLOW_CANARY },
        options,
      ),
      testGroup(
        'A/A: canary identical to stable, nothing fires',
        { [baseline]: HEALTHY, [canary]: HEALTHY },
        options,
      ),
    ],
  };
}

export function ruleTestsYaml(options: RulesOptions = {}): string {
  return `# promtool unit tests for the shipgate rules, generated with them.\n# Run: promtool test rules ${RULE_FILES.tests}\n${stringify(ruleTests(options), { lineWidth: 0 })}`;
}

/** For the record in the tests: which alerts the bad-canary world fires (metric ids). */
export function firingIn(test: object, alertname: string): string[] {
  const group = (test as { tests: TestGroup[] }).tests[0]!;
  return (group.alert_rule_test.find((a) => a.alertname === alertname)?.exp_alerts ?? []).map(
    (a) => `${a.exp_labels['metric']}/${a.exp_labels[VERSION_LABEL]}`,
  );
}
