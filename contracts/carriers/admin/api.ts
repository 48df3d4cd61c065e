import Type, { type Static } from 'typebox';
import { Region } from '../../domain/order.ts';

/**
 * Wire format of the sandbox services' admin API: every sandbox carrier and the inventory
 * service expose the same one under /admin, behind a bearer token. It lives in contracts/
 * (beside the carrier APIs) so fault scenarios can declare faults with this one schema.
 *
 *   PUT    /admin/faults          { faults: Fault[] }  replace the active faults
 *   GET    /admin/faults          { faults: FaultStatus[] }
 *   DELETE /admin/faults          remove every fault
 *   POST   /admin/provider-state  { state, params?, action? }  Pact provider states
 *   GET    /admin/provider-states { states: [{ name, description }] }
 */

export const FAULT_KINDS = ['latency', 'error', 'outage', 'timeout'] as const;
export const FaultKind = Type.Enum(FAULT_KINDS);
export type FaultKind = Static<typeof FaultKind>;

/** Longest a `timeout` fault holds a request (real ms), so a forgotten fault cannot hang a run. */
export const MAX_HANG_MS = 60_000;

export const Fault = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 100 })),
    kind: FaultKind,
    /** latency: multiply the service's own latency. */
    multiplier: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    /** latency: add this many real milliseconds. */
    addMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_HANG_MS })),
    /** error / timeout: share of matching requests affected (default 1). */
    rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** error / outage: the status answered (default 503). */
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    /** outage: answer with `status`, or reset the connection without an answer. */
    mode: Type.Optional(Type.Enum(['status', 'reset'])),
    /** timeout: hold the request this long (real ms, bounded), then answer 504. */
    hangMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HANG_MS })),
    /** Only requests for parcels to these destination regions (carriers). */
    regions: Type.Optional(Type.Array(Region, { minItems: 1 })),
    /** Only these operations (e.g. quote, create_shipment, track, cancel, reserve, commit). */
    operations: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** Virtual-time window; open-ended when absent. */
    from: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type Fault = Static<typeof Fault>;

export const FaultList = Type.Object(
  { faults: Type.Array(Fault, { maxItems: 100 }) },
  { additionalProperties: false },
);
export type FaultList = Static<typeof FaultList>;

export const FaultStatus = Type.Object({ fault: Fault, active: Type.Boolean(), applied: Type.Integer() });
export type FaultStatus = Static<typeof FaultStatus>;

export const ProviderStateRequest = Type.Object(
  {
    state: Type.String({ minLength: 1, maxLength: 300 }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    action: Type.Optional(Type.Enum(['setup', 'teardown'])),
  },
  { additionalProperties: false },
);
export type ProviderStateRequest = Static<typeof ProviderStateRequest>;
