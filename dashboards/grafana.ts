import type {
  AnnotationQuery,
  Dashboard,
  DataQuery,
  DataSourceRef,
  Panel,
  RowPanel,
  ThresholdsMode,
} from '@grafana/schema';
import { CATALOGUE, type MetricDecl } from '../canary/metrics/catalogue.ts';
import { SHIPGATE_SERIES } from '../canary/metrics/names.ts';
import { BUILTIN_ROUTER_WEIGHT_QUERY } from '../canary/metrics/presets/builtin.ts';
import { compileWindowed } from '../canary/metrics/promql.ts';

/**
 * The Grafana dashboard SREs watch during a rollout, generated from the metric
 * catalogue: for every metric, canary vs baseline with its SLO drawn as a threshold
 * line, compiled by the same PromQL compiler as the gate and the alert rules (over the
 * same 5-minute window), so the dashboard shows what the gate judges. Plus the router's
 * canary weight, the gate's verdicts and checks, and replay and scenario progress.
 *
 * Typed against @grafana/schema (the classic dashboard JSON model that the Grafana UI
 * imports and file provisioning loads). Versions are dashboard variables (`$canary`,
 * `$baseline`); the data source is a variable too, so the JSON imports anywhere.
 */

export interface DashboardOptions {
  canary?: string;
  baseline?: string;
  catalogue?: readonly MetricDecl[];
  uid?: string;
  title?: string;
  /** Window of the canary-vs-baseline queries; the alert rules use 5m for leading indicators. */
  window?: string;
  /** The label marking the build (the target's canary.versions.label); default `version`. */
  versionLabel?: string;
  /**
   * PromQL for the router's own canary weight in percent. Default: the sandbox router's
   * series with the built-in catalogue; with a platform's own catalogue, the weight the
   * gate last set (shipgate's own series), since a platform's router may expose none.
   */
  routerWeight?: string;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference, not a JS template
const DS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
/** A type-only import: @grafana/schema is a dev dependency, its enums must not be needed at run time. */
const ABSOLUTE = 'absolute' as ThresholdsMode;
const COLORS = { canary: '#d9480f', baseline: '#1c64f2' } as const;
/** Placeholder compiled into the selector, then replaced by the Grafana variable. */
const VERSION_SLOT = 'SHIPGATE_VERSION_SLOT';

/** A catalogue metric's PromQL for one version variable, e.g. `$canary`. */
export function metricQuery(
  metric: MetricDecl,
  variable: string,
  window = '5m',
  versionLabel?: string,
): string {
  return compileWindowed(metric, window, {
    versions: [VERSION_SLOT],
    ...(versionLabel ? { versionLabel } : {}),
  }).replaceAll(VERSION_SLOT, variable);
}

const unitOf = (metric: MetricDecl) =>
  metric.unit === 'ratio'
    ? 'percentunit'
    : metric.unit === 'seconds'
      ? 's'
      : metric.unit === 'milliseconds'
        ? 'ms'
        : 'reqps';

export function grafanaDashboard(options: DashboardOptions = {}): Dashboard {
  const catalogue = options.catalogue ?? CATALOGUE;
  const gateWeight = `max(${SHIPGATE_SERIES.canaryWeight})`;
  const routerWeight = options.routerWeight ?? (options.catalogue ? gateWeight : BUILTIN_ROUTER_WEIGHT_QUERY);
  const window = options.window ?? '5m';
  let id = 0;
  let y = 0;
  const panels: (Panel | RowPanel)[] = [];
  const row = (title: string) => {
    panels.push({
      type: 'row',
      id: ++id,
      title,
      collapsed: false,
      panels: [],
      gridPos: { h: 1, w: 24, x: 0, y },
    });
    y += 1;
  };
  /** Lays panels left to right in a 24-column grid, wrapping to a new line. */
  const place = (items: Omit<Panel, 'id' | 'gridPos'>[], w: number, h: number) => {
    let x = 0;
    for (const item of items) {
      if (x + w > 24) {
        x = 0;
        y += h;
      }
      panels.push({ ...item, id: ++id, gridPos: { h, w, x, y } });
      x += w;
    }
    y += h;
  };

  row('Rollout');
  place(
    [
      {
        type: 'stat',
        title: 'Canary weight now',
        description: 'Share of orders the traffic router sends to the canary.',
        datasource: DS,
        targets: [{ refId: 'A', datasource: DS, expr: routerWeight, instant: true }],
        fieldConfig: { defaults: { unit: 'percent', min: 0, max: 100 }, overrides: [] },
        options: {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'value',
          graphMode: 'area',
        },
      },
      {
        type: 'timeseries',
        title: 'Canary weight over the rollout',
        description: 'The router’s weight, and the weight the gate last set.',
        datasource: DS,
        targets: [
          { refId: 'A', datasource: DS, expr: routerWeight, legendFormat: 'router' },
          { refId: 'B', datasource: DS, expr: gateWeight, legendFormat: 'gate' },
        ],
        fieldConfig: {
          defaults: {
            unit: 'percent',
            min: 0,
            max: 100,
            custom: { lineInterpolation: 'stepAfter', fillOpacity: 15 },
          },
          overrides: [],
        },
        options: {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
          tooltip: { mode: 'multi', sort: 'none' },
        },
      },
      {
        type: 'stat',
        title: 'Gate verdicts in range',
        description: 'Decisions the gate took in the selected time range, by verdict.',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (verdict) (increase(${SHIPGATE_SERIES.gateVerdicts}[$__range]))`,
            legendFormat: '{{verdict}}',
            instant: true,
          },
        ],
        fieldConfig: {
          defaults: { unit: 'short', decimals: 0 },
          overrides: [
            verdictColor('pass', 'green'),
            verdictColor('fail', 'red'),
            verdictColor('inconclusive', 'orange'),
          ],
        },
        options: {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'background',
          textMode: 'value_and_name',
        },
      },
    ],
    8,
    6,
  );

  row('Canary vs baseline (same queries and window as the gate and the alert rules)');
  place(
    catalogue.map((metric) => metricPanel(metric, window, options.versionLabel)),
    12,
    8,
  );

  row('Gate verdicts and checks');
  place(
    [
      {
        type: 'timeseries',
        title: 'Verdicts',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (layer, verdict) (increase(${SHIPGATE_SERIES.gateVerdicts}[$__rate_interval]))`,
            legendFormat: '{{layer}} {{verdict}}',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal' } },
          },
          overrides: [],
        },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
      },
      {
        type: 'timeseries',
        title: 'Checks by status',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (status) (increase(${SHIPGATE_SERIES.gateChecks}[$__rate_interval]))`,
            legendFormat: '{{status}}',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal' } },
          },
          overrides: [],
        },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
      },
      {
        type: 'table',
        title: 'Failing or inconclusive checks in range',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (layer, metric, status) (increase(${SHIPGATE_SERIES.gateChecks}{status=~"fail|inconclusive"}[$__range])) > 0`,
            format: 'table',
            instant: true,
          },
        ],
        fieldConfig: { defaults: {}, overrides: [] },
        options: { showHeader: true },
      },
    ],
    8,
    7,
  );

  row('Replay and scenarios');
  place(
    [
      {
        type: 'timeseries',
        title: 'Replay: orders per second by outcome',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (outcome) (rate(${SHIPGATE_SERIES.replayOrders}[$__rate_interval]))`,
            legendFormat: '{{outcome}}',
          },
        ],
        fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
      },
      {
        type: 'stat',
        title: 'Replay: lost orders in range',
        description:
          'Orders the platform accepted and never processed. Anything above zero blocks the release.',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum(increase(${SHIPGATE_SERIES.replayOrders}{outcome="lost"}[$__range])) or vector(0)`,
            instant: true,
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            decimals: 0,
            thresholds: {
              mode: ABSOLUTE,
              steps: [
                { color: 'green', value: null },
                { color: 'red', value: 1 },
              ],
            },
          },
          overrides: [],
        },
        options: {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'background',
        },
      },
      {
        type: 'bargauge',
        title: 'Scenario progress',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `max by (scenario) (${SHIPGATE_SERIES.scenarioProgress})`,
            legendFormat: '{{scenario}}',
            instant: true,
          },
        ],
        fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1 }, overrides: [] },
        options: {
          orientation: 'horizontal',
          displayMode: 'gradient',
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        },
      },
      {
        type: 'timeseries',
        title: 'Scenario orders per second',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `sum by (scenario, outcome) (rate(${SHIPGATE_SERIES.scenarioOrders}[$__rate_interval]))`,
            legendFormat: '{{scenario}} {{outcome}}',
          },
        ],
        fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
      },
      {
        type: 'table',
        title: 'Scenario SLOs: observed vs target',
        datasource: DS,
        targets: [
          {
            refId: 'A',
            datasource: DS,
            expr: `max by (scenario, slo, kind) (${SHIPGATE_SERIES.scenarioSlo})`,
            format: 'table',
            instant: true,
          },
        ],
        fieldConfig: { defaults: {}, overrides: [] },
        options: { showHeader: true },
      },
    ],
    12,
    7,
  );

  return {
    uid: options.uid ?? 'shipgate-rollout',
    title: options.title ?? 'shipgate: release rollout',
    description:
      'Canary vs baseline for every catalogue metric, the canary weight, gate verdicts, replay and scenario progress. Generated by `shipgate dashboards export`.',
    tags: ['shipgate', 'canary', 'logistics'],
    editable: true,
    graphTooltip: 1,
    timezone: 'utc',
    refresh: '30s',
    schemaVersion: 39,
    time: { from: 'now-3h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' },
        textbox('canary', 'Canary version', options.canary ?? 'canary'),
        textbox('baseline', 'Baseline version', options.baseline ?? 'stable'),
      ],
    },
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        promAnnotation('Canary weight changed', '#d9480f', `changes((${routerWeight})[2m:30s]) > 0`),
        promAnnotation(
          'Gate failed',
          '#b42318',
          `sum(increase(${SHIPGATE_SERIES.gateVerdicts}{verdict="fail"}[2m])) > 0`,
        ),
      ],
    },
    panels,
  };
}

interface PromQuery extends DataQuery {
  expr: string;
}

/** Marks on every panel when the query has a value: the rollout's steps and the gate's failures. */
function promAnnotation(name: string, iconColor: string, expr: string): AnnotationQuery<PromQuery> {
  return { datasource: DS, enable: true, iconColor, name, target: { refId: name.replace(/\W/g, ''), expr } };
}

function textbox(name: string, label: string, value: string) {
  return {
    name,
    label,
    type: 'textbox' as const,
    query: value,
    current: { text: value, value },
    options: [{ text: value, value, selected: true }],
  };
}

function verdictColor(name: string, color: string) {
  return {
    matcher: { id: 'byName', options: name },
    properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }],
  };
}

function metricPanel(
  metric: MetricDecl,
  window: string,
  versionLabel?: string,
): Omit<Panel, 'id' | 'gridPos'> {
  const slo = metric.slo;
  const steps =
    slo === undefined
      ? [{ color: 'transparent', value: null }]
      : metric.direction === 'higher-is-worse'
        ? [
            { color: 'transparent', value: null },
            { color: 'red', value: slo.value },
          ]
        : [
            { color: 'red', value: null },
            { color: 'transparent', value: slo.value },
          ];
  const fixed = (refId: string, name: string, color: string) => ({
    matcher: { id: 'byFrameRefID', options: refId },
    properties: [
      { id: 'displayName', value: name },
      { id: 'color', value: { mode: 'fixed', fixedColor: color } },
    ],
  });
  return {
    type: 'timeseries',
    title: metric.title,
    description: `${metric.description} ${metric.direction === 'higher-is-worse' ? 'Higher is worse.' : 'Lower is worse.'}${slo ? ` SLO ${slo.op} ${slo.value}.` : ''} ${metric.indicator === 'leading' ? 'Leading indicator.' : 'Lagging indicator.'} Catalogue id: ${metric.id}.`,
    datasource: DS,
    targets: [
      {
        refId: 'A',
        datasource: DS,
        expr: metricQuery(metric, '$canary', window, versionLabel),
        legendFormat: 'canary',
      },
      {
        refId: 'B',
        datasource: DS,
        expr: metricQuery(metric, '$baseline', window, versionLabel),
        legendFormat: 'baseline',
      },
    ],
    fieldConfig: {
      defaults: {
        unit: unitOf(metric),
        min: 0,
        ...(metric.unit === 'ratio' ? { max: 1 } : {}),
        thresholds: { mode: ABSOLUTE, steps },
        custom: { lineWidth: 2, spanNulls: false, thresholdsStyle: { mode: slo ? 'dashed' : 'off' } },
      },
      overrides: [
        fixed('A', 'canary ($canary)', COLORS.canary),
        fixed('B', 'baseline ($baseline)', COLORS.baseline),
      ],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'none' },
    },
  };
}
