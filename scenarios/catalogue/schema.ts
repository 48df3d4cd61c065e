import Type, { type Static } from 'typebox';
import { Fault } from '../../contracts/carriers/admin/api.ts';
import { CarrierName } from '../../contracts/domain/shipping.ts';
import { describeIssues, validator } from '../../core/schema/validate.ts';

/**
 * The scenario declaration as a schema, for users' own scenarios (shipgate.config.ts):
 * checked before anything runs, with the field at fault named. Faults reuse the admin
 * API's `Fault` fields (contracts/carriers/admin/api.ts), windows in hours instead of
 * timestamps. The TypeScript `Scenario` interface (scenario.ts) stays the catalogue's type.
 */
const { from: _from, until: _until, ...faultFields } = Fault.properties;

const Hours = (max: number) => Type.Number({ minimum: 0, maximum: max });

export const LoadProfileSchema = Type.Object(
  {
    ordersPerDay: Type.Number({ exclusiveMinimum: 0, maximum: 100_000_000 }),
    multiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    bursts: Type.Optional(
      Type.Array(
        Type.Object(
          { startHour: Hours(24), hours: Hours(24), multiplier: Type.Number({ exclusiveMinimum: 0 }) },
          { additionalProperties: false },
        ),
      ),
    ),
    cutoffRush: Type.Optional(
      Type.Object(
        { cutoffHour: Hours(24), hours: Hours(24), multiplier: Type.Number({ exclusiveMinimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
    window: Type.Object(
      { startHour: Hours(24), hours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 14 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ScenarioFaultSchema = Type.Object(
  {
    ...faultFields,
    target: Type.Union([Type.Literal('inventory'), CarrierName]),
    fromHour: Type.Optional(Hours(24 * 14)),
    untilHour: Type.Optional(Hours(24 * 14)),
  },
  { additionalProperties: false },
);

export const ExpectationSchema = Type.Object(
  {
    id: Type.Enum([
      'on_time_rate',
      'processing_p95_seconds',
      'processing_p99_seconds',
      'error_rate',
      'cutoff_missed_rate',
      'lost_orders',
      'shipped_rate',
    ]),
    op: Type.Enum(['<=', '>=']),
    value: Type.Number(),
    abortOnFail: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    description: Type.String(),
    load: LoadProfileSchema,
    faults: Type.Array(ScenarioFaultSchema, { maxItems: 100 }),
    expectations: Type.Array(ExpectationSchema, { minItems: 1 }),
    settleDays: Type.Number({ minimum: 0, maximum: 30 }),
    speed: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type ScenarioDecl = Static<typeof ScenarioSchema>;

const check = validator(ScenarioSchema);

/** Validates a user's scenario; the message names the field, e.g. `faults.0.kind must be …`. */
export function checkScenario(
  value: unknown,
): { ok: true; value: ScenarioDecl } | { ok: false; message: string } {
  const result = check(value);
  return result.ok ? result : { ok: false, message: describeIssues(result.issues) };
}
