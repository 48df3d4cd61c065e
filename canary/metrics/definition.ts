import Type, { type Static } from 'typebox';

/**
 * A metric as a user writes it in the config (`canary.metrics`), in the shape Flagger's
 * MetricTemplate and Argo Rollouts' AnalysisTemplate made familiar: the platform's own
 * series and labels, or PromQL templates. One TypeBox definition gives the type, the
 * config's validator and its docs; from-definition.ts maps it to the catalogue's
 * MetricDecl, which every judge, source, dashboard and rule reads. The built-in
 * catalogue is written in this same form (presets/builtin.ts).
 */

const Strict = { additionalProperties: false } as const;
const LabelName = Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' });
const MetricName = Type.String({
  pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$',
  description: 'a Prometheus series name',
});

/** A counter, narrowed by label matchers, summed per version (and per part: instance or endpoint). */
export const SeriesSelector = Type.Object(
  {
    series: MetricName,
    matchers: Type.Optional(Type.Record(LabelName, Type.String())),
  },
  Strict,
);
/** Observations of a histogram above `le`: its `_count` minus its `le` bucket. */
export const HistogramSelector = Type.Object(
  { histogram: MetricName, le: Type.Number({ description: 'a bucket boundary of the histogram' }) },
  Strict,
);
/** PromQL template ({{selector}}, {{versionLabel}}, {{window}}) returning one cumulative count per version. */
export const PromqlSelectorSchema = Type.Object(
  { promql: Type.String({ minLength: 1, description: 'a PromQL template grouped by the version label' }) },
  Strict,
);
export const Selector = Type.Union([SeriesSelector, HistogramSelector, PromqlSelectorSchema]);
export type Selector = Static<typeof Selector>;

const Common = {
  id: Type.String({
    pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
    description: 'stable id, used in reports and rules',
  }),
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  indicator: Type.Enum(['leading', 'lagging']),
  direction: Type.Enum(['higher-is-worse', 'lower-is-worse']),
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'relative importance (default 1)' })),
  slo: Type.Optional(Type.Object({ op: Type.Enum(['<=', '>=']), value: Type.Number() }, Strict)),
  margin: Type.Optional(
    Type.Object(
      {
        relative: Type.Optional(Type.Number({ minimum: 0 })),
        absolute: Type.Optional(Type.Number({ minimum: 0 })),
      },
      Strict,
    ),
  ),
};

const Unit = Type.Enum(['seconds', 'milliseconds'], { description: 'the unit the histogram observes in' });

export const EventsDefinition = Type.Object(
  {
    ...Common,
    kind: Type.Literal('events'),
    bad: Selector,
    total: Type.Union([SeriesSelector, PromqlSelectorSchema]),
    reportAs: Type.Optional(Type.Enum(['bad-ratio', 'good-ratio'])),
  },
  Strict,
);
/** "Slower than sloBucket" as events: the share of observations above a bucket boundary. */
export const LatencyDefinition = Type.Object(
  {
    ...Common,
    kind: Type.Literal('latency'),
    histogram: MetricName,
    unit: Unit,
    sloBucket: Type.Number({ exclusiveMinimum: 0, description: 'a bucket boundary, in the unit' }),
  },
  Strict,
);
export const QuantileDefinition = Type.Object(
  {
    ...Common,
    kind: Type.Literal('quantile'),
    histogram: MetricName,
    quantile: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    unit: Unit,
  },
  Strict,
);

export const MetricDefinition = Type.Union([EventsDefinition, LatencyDefinition, QuantileDefinition]);
export type MetricDefinition = Static<typeof MetricDefinition>;
export type EventsDefinition = Static<typeof EventsDefinition>;

/** `canary.metrics`: the built-in catalogue, or the user's own list. */
export const MetricsConfig = Type.Union([
  Type.Literal('builtin'),
  Type.Array(MetricDefinition, { minItems: 1 }),
]);

/** `canary.versions`: the label marking the build, and its canary and baseline values. */
export const VersionsConfig = Type.Object(
  {
    label: Type.Optional(LabelName),
    canary: Type.Optional(Type.String({ minLength: 1 })),
    baseline: Type.Optional(Type.String({ minLength: 1 })),
  },
  Strict,
);
