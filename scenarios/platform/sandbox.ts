import {
  type ClockState,
  type LookupResponse,
  type OrderAccepted,
  type OrderState,
  PLATFORM_PATHS,
} from '../../contracts/platform/api.ts';
import type { OrderReading, OrderReport, PlatformAdapter, PlatformAnswer, Scalar } from './types.ts';

/**
 * The built-in adapter: the sandbox's API (contracts/platform/api.ts), and any platform
 * that speaks it. Orders go as they are to `POST /v1/orders` (202, idempotent by the
 * `Idempotency-Key` header), outcomes come in batches from `POST /v1/orders/lookup`,
 * the clock from `GET /v1/clock`. Nothing in the replayer knows these paths: the
 * sandbox goes through the adapter interface like any other platform.
 */

/** Statuses after which the platform has decided: carrier chosen, or refused. */
const SETTLED: ReadonlySet<string> = new Set(['shipped', 'rejected', 'failed', 'delivered']);
/** Statuses after which nothing changes any more. */
const FINAL: ReadonlySet<string> = new Set(['rejected', 'failed', 'delivered']);
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([503, 429]);

/** Largest `ids` list the lookup takes (LookupRequest's maxItems). */
export const SANDBOX_LOOKUP_BATCH = 500;

/** The sandbox's order state as a report every layer reads; `fields` keeps the whole state. */
export function reportOfSandboxState(state: OrderState): OrderReport {
  const fields: Record<string, Scalar> = {};
  for (const [name, value] of Object.entries(state)) {
    if (value !== undefined) fields[name] = value as Scalar;
  }
  return {
    orderId: state.orderId,
    status: state.status,
    settled: SETTLED.has(state.status),
    final: FINAL.has(state.status),
    ...(state.outcome !== undefined ? { outcome: state.outcome } : {}),
    ...(state.shipmentId !== undefined ? { platformId: state.shipmentId } : {}),
    ...(state.carrier !== undefined ? { carrier: state.carrier } : {}),
    ...(state.service !== undefined ? { service: state.service } : {}),
    promisedBy: state.promisedBy,
    delivered: state.status === 'delivered',
    ...(state.onTime !== undefined ? { onTime: state.onTime } : {}),
    ...(state.processingMs !== undefined ? { processingMs: state.processingMs } : {}),
    fields,
  };
}

function readLookup(answer: PlatformAnswer): Map<string, OrderReading> {
  const out = new Map<string, OrderReading>();
  if (answer.status !== 200) return out; // every ref unknown: asked again next round
  const body = answer.body as Partial<LookupResponse> | undefined;
  for (const state of body?.orders ?? [])
    out.set(state.orderId, { kind: 'found', report: reportOfSandboxState(state) });
  for (const id of body?.missing ?? []) out.set(id, { kind: 'missing' });
  return out;
}

export const sandboxPlatform: PlatformAdapter = {
  name: 'sandbox',
  idempotency: { kind: 'header', header: 'Idempotency-Key' },
  submit: (order) => ({
    method: 'POST',
    path: PLATFORM_PATHS.orders,
    headers: { 'content-type': 'application/json' },
    body: order,
  }),
  readSubmit: (answer) => {
    if (answer.status >= 200 && answer.status < 300) {
      const accepted = (answer.body ?? {}) as Partial<OrderAccepted>;
      return { kind: 'accepted', duplicate: accepted.duplicate === true };
    }
    const reason = `HTTP ${answer.status}`;
    return RETRYABLE_STATUS.has(answer.status) ? { kind: 'retryable', reason } : { kind: 'refused', reason };
  },
  outcome: {
    kind: 'batch',
    maxBatch: SANDBOX_LOOKUP_BATCH,
    request: (refs) => ({
      method: 'POST',
      path: PLATFORM_PATHS.lookup,
      headers: { 'content-type': 'application/json' },
      body: { ids: refs.map((r) => r.id) },
    }),
    read: readLookup,
  },
  clock: {
    request: () => ({ method: 'GET', path: PLATFORM_PATHS.clock }),
    read: (answer) => {
      if (answer.status !== 200) return undefined;
      const state = answer.body as Partial<ClockState> | undefined;
      if (typeof state?.now !== 'string' || !Number.isFinite(Date.parse(state.now))) return undefined;
      if (typeof state.speed !== 'number' || !(state.speed > 0)) return undefined;
      return { now: state.now, speed: state.speed };
    },
  },
  // Every field of the state, less ids and absolute times (scenarios/diff/normalize.ts),
  // grouped as the sandbox world is organised.
  decisions: { groupBy: ['region', 'serviceLevel', 'carrier'] },
};
