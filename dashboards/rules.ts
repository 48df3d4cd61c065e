import { stringify } from 'yaml';
import { CATALOGUE, type MetricDecl } from '../canary/metrics/catalogue.ts';
import { VERSION_LABEL } from '../canary/metrics/names.ts';
import { compileWindowed, compileWindowedCounts, escapeLabelValue } from '../canary/metrics/promql.ts';

/**
 * Prometheus recording and alert rules, generated from the metric catalogue through the
 * same PromQL compiler the gate uses (canary/metrics/promql.ts), so what SREs are paged
 * on and what the gate judges cannot drift apart.
 *
 * Recording rules, per catalogue metric and window (every series keeps its `version`):
 *   shipgate:<metric>:<window>               the value as the catalogue reports it
 *                                            (ratio, good-ratio or quantile)
 *   shipgate:<metric>_bad:increase<window>   for event metrics, the counts behind it
 *   shipgate:<metric>_total:increase<window>
 *
 * Alerts:
 *   Shipgate<Metric>BelowSLO / AboveSLO        any version outside its SLO
 *   ShipgateCanaryWorseThanBaseline{metric}    canary clearly worse than the baseline
 * The canary alert is a heads-up for people watching a rollout, with a fixed margin; the
 * decision to roll back is the gate's anytime-valid judge, which uses the event counts.
 */

export interface RulesOptions {
  /** Version label values of the canary and the baseline. */
  canary?: string;
  baseline?: string;
  catalogue?: readonly MetricDecl[];
  /** The label marking the build (the target's canary.versions.label); default `version`. */
  versionLabel?: string;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup<R> {
  name: string;
  interval?: string;
  rules: R[];
}

export interface RuleFile<R> {
  groups: RuleGroup<R>[];
}

/** Windows recorded for every metric: 5m for leading indicators, 1h for lagging ones. */
export const WINDOWS = ['5m', '1h'] as const;
export type RuleWindow = (typeof WINDOWS)[number];

/** Leading indicators alert on 5 minutes and hold 5; the lagging on-time rate on an hour, held 30. */
export function alertWindow(metric: MetricDecl): { window: RuleWindow; for: string } {
  return metric.indicator === 'leading' ? { window: '5m', for: '5m' } : { window: '1h', for: '30m' };
}

/**
 * Margin for "clearly worse": relative 25% of the baseline's badness plus an absolute
 * floor (one percentage point, or 50 ms), so two near-zero ratios never alert on noise.
 */
export const CANARY_MARGIN = { relative: 0.25, ratio: 0.01, seconds: 0.05, milliseconds: 50 } as const;

export const recordName = (metric: MetricDecl, window: string) => `shipgate:${metric.id}:${window}`;
const countName = (metric: MetricDecl, part: 'bad' | 'total', window: string) =>
  `shipgate:${metric.id}_${part}:increase${window}`;

export function recordingRules(options: RulesOptions = {}): RuleFile<RecordingRule> {
  const catalogue = options.catalogue ?? CATALOGUE;
  const rules: RecordingRule[] = [];
  const compile = options.versionLabel ? { versionLabel: options.versionLabel } : {};
  for (const metric of catalogue) {
    for (const window of WINDOWS) {
      if (metric.kind === 'events') {
        const counts = compileWindowedCounts(metric, window, compile);
        rules.push({ record: countName(metric, 'bad', window), expr: counts.bad });
        rules.push({ record: countName(metric, 'total', window), expr: counts.total });
      }
      rules.push({ record: recordName(metric, window), expr: compileWindowed(metric, window, compile) });
    }
  }
  return { groups: [{ name: 'shipgate-recording', interval: '1m', rules }] };
}

export function alertRules(options: RulesOptions = {}): RuleFile<AlertRule> {
  const catalogue = options.catalogue ?? CATALOGUE;
  const canary = options.canary ?? 'canary';
  const baseline = options.baseline ?? 'stable';
  const label = options.versionLabel ?? VERSION_LABEL;
  const slo: AlertRule[] = [];
  const worse: AlertRule[] = [];
  for (const metric of catalogue) {
    const { window, for: hold } = alertWindow(metric);
    const series = recordName(metric, window);
    const severity = metric.indicator === 'lagging' ? 'critical' : 'warning';
    const value = valueTemplate(metric);
    if (metric.slo) {
      const below = metric.slo.op === '>=';
      slo.push({
        alert: sloAlertName(metric),
        expr: `${series} ${below ? '<' : '>'} ${metric.slo.value}`,
        for: hold,
        labels: { severity, metric: metric.id },
        annotations: {
          summary: `${metric.title} ${below ? 'below' : 'above'} its SLO on {{ $labels.${label} }}`,
          description: `${metric.description} Over ${window}: ${value}; SLO ${metric.slo.op} ${metric.slo.value}.`,
        },
      });
    }
    const c = `${series}{${label}="${escapeLabelValue(canary)}"}`;
    const b = `${series}{${label}="${escapeLabelValue(baseline)}"}`;
    const floor =
      metric.unit === 'seconds'
        ? CANARY_MARGIN.seconds
        : metric.unit === 'milliseconds'
          ? CANARY_MARGIN.milliseconds
          : CANARY_MARGIN.ratio;
    const r = CANARY_MARGIN.relative;
    const expr =
      metric.direction === 'higher-is-worse'
        ? `${c} > ignoring(${label}) group_left() (${1 + r} * ${b} + ${floor})`
        : metric.unit === 'ratio'
          ? // A good-ratio (on-time rate): compare the bad side, 1 − value, like the others.
            `${c} < ignoring(${label}) group_left() (${b} - ${r} * (1 - ${b}) - ${floor})`
          : `${c} < ignoring(${label}) group_left() (${1 - r} * ${b} - ${floor})`;
    worse.push({
      alert: 'ShipgateCanaryWorseThanBaseline',
      expr,
      for: hold,
      labels: { severity: 'warning', metric: metric.id },
      annotations: {
        summary: `Canary worse than ${baseline}: ${metric.title}`,
        description: `${metric.title} on the canary over ${window}: ${value}, clearly ${metric.direction === 'higher-is-worse' ? 'above' : 'below'} ${baseline}. The gate's judge decides on rollback; check its report.`,
      },
    });
  }
  return {
    groups: [
      { name: 'shipgate-slo', rules: slo },
      { name: 'shipgate-canary', rules: worse },
    ],
  };
}

export function sloAlertName(metric: MetricDecl): string {
  const pascal = metric.id
    .split(/[_\W]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `Shipgate${pascal}${metric.slo?.op === '>=' ? 'BelowSLO' : 'AboveSLO'}`;
}

/**
 * `$value` printed with four decimals (a ratio as a fraction, seconds as seconds).
 * printf, not humanize: humanize writes 0.004 as "4m", which no one reads as 0.4%.
 */
function valueTemplate(metric: MetricDecl): string {
  if (metric.unit === 'seconds') return '{{ printf "%.4f" $value }} s';
  if (metric.unit === 'milliseconds') return '{{ printf "%.1f" $value }} ms';
  return '{{ printf "%.4f" $value }}';
}

/** The YAML Prometheus loads (`rule_files:`), with a header saying where it came from. */
export function rulesYaml(file: RuleFile<RecordingRule> | RuleFile<AlertRule>, what: string): string {
  return `# shipgate ${what}, generated from the metric catalogue (canary/metrics/catalogue.ts).\n# Regenerate with: shipgate dashboards export OUT_DIR\n${stringify(file, { lineWidth: 0 })}`;
}

/** The exported rule files, and the promtool tests written beside them for the built-in preset. */
export const RULE_FILES = {
  recording: 'recording-rules.yml',
  alerts: 'alert-rules.yml',
  tests: 'rules.test.yml',
} as const;
