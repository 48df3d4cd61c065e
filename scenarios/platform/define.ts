import { shipgateError } from '../../core/errors.ts';
import { HTTP_METHODS, type PlatformAdapter, type PlatformRequest } from './types.ts';

export type * from './types.ts';

/**
 * Types a platform adapter module (`export default definePlatform({ … })`, editor
 * completion and checking) and checks its shape at once, so a mistake is reported
 * where the adapter is defined rather than on the first order. Returns it unchanged.
 */
export function definePlatform(adapter: PlatformAdapter): PlatformAdapter {
  return checkPlatformAdapter(adapter, adapter?.name ?? 'definePlatform');
}

const OUTCOME_KINDS = ['poll', 'batch', 'answer'] as const;
const IDEMPOTENCY_KINDS = ['header', 'path', 'body', 'none'] as const;

/**
 * The run-time check of an adapter from anywhere (a module may be plain JavaScript):
 * every problem names the key, `source` names the module or config.
 */
export function checkPlatformAdapter(value: unknown, source: string): PlatformAdapter {
  const fail = (key: string, problem: string): never => {
    throw shipgateError('SG_PLATFORM_ADAPTER_INVALID', { source, key, problem });
  };
  if (typeof value !== 'object' || value === null)
    fail('(adapter)', 'must be an object (definePlatform({…}))');
  const a = value as Record<string, unknown>;
  if (typeof a.name !== 'string' || a.name.length === 0) fail('name', 'must be a non-empty string');
  for (const fn of ['submit', 'readSubmit'] as const) {
    if (typeof a[fn] !== 'function') fail(fn, 'must be a function');
  }
  if (a.key !== undefined && typeof a.key !== 'function') fail('key', 'must be a function when given');

  const idem = a.idempotency as { kind?: unknown; header?: unknown } | undefined;
  if (!idem || !IDEMPOTENCY_KINDS.includes(idem.kind as never))
    fail('idempotency.kind', `must be one of ${IDEMPOTENCY_KINDS.join(', ')}`);
  if (idem?.kind === 'header' && (typeof idem.header !== 'string' || !/^[A-Za-z0-9-]+$/.test(idem.header)))
    fail('idempotency.header', 'must be a header name');

  const outcome = a.outcome as Record<string, unknown> | undefined;
  if (!outcome || !OUTCOME_KINDS.includes(outcome.kind as never))
    fail('outcome.kind', `must be one of ${OUTCOME_KINDS.join(', ')}`);
  if (outcome?.kind !== 'answer') {
    for (const fn of ['request', 'read'] as const) {
      if (typeof outcome?.[fn] !== 'function') fail(`outcome.${fn}`, 'must be a function');
    }
  }
  if (outcome?.kind === 'batch' && !(Number.isInteger(outcome.maxBatch) && (outcome.maxBatch as number) >= 1))
    fail('outcome.maxBatch', 'must be an integer ≥ 1');

  const statuses = a.acceptedStatuses;
  if (
    statuses !== undefined &&
    !(Array.isArray(statuses) && statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599))
  )
    fail('acceptedStatuses', 'must be a list of HTTP statuses (e.g. [200, 201])');

  if (a.clock !== undefined) {
    const clock = a.clock as Record<string, unknown>;
    for (const fn of ['request', 'read'] as const) {
      if (typeof clock?.[fn] !== 'function') fail(`clock.${fn}`, 'must be a function');
    }
  }

  const decisions = a.decisions as { fields?: unknown; groupBy?: unknown } | undefined;
  if (!decisions || typeof decisions !== 'object')
    fail('decisions', 'must name the decision fields and groupBy');
  const names = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
  if (decisions?.fields !== undefined && !names(decisions.fields))
    fail('decisions.fields', 'must be a list of field names');
  if (!names(decisions?.groupBy)) fail('decisions.groupBy', 'must be a list of field names');
  return value as PlatformAdapter;
}

/**
 * A request an adapter built, checked before it is sent: a bad method or a path that
 * would leave the target's origin is the adapter's mistake, named as such.
 */
export function checkRequest(
  request: PlatformRequest | undefined,
  source: string,
  key: string,
): PlatformRequest {
  const fail = (problem: string): never => {
    throw shipgateError('SG_PLATFORM_ADAPTER_INVALID', { source, key, problem });
  };
  if (!request || typeof request !== 'object') return fail('must give a request ({ method, path })');
  if (!HTTP_METHODS.includes(request.method)) fail(`method must be one of ${HTTP_METHODS.join(', ')}`);
  // Only a path: the target (and so the allowlist) decides the host, never the adapter.
  if (typeof request.path !== 'string' || !request.path.startsWith('/') || request.path.startsWith('//'))
    fail(`path must start with a single "/", got ${JSON.stringify(request.path)}`);
  return request;
}
