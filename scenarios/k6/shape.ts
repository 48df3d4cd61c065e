import type { PlatformAdapter } from '../platform/types.ts';
import type { K6RequestShape } from './export.ts';

/**
 * A platform adapter's intake as the k6 export's request shape: the adapter builds each
 * order's request exactly as replay and scenarios send it (its `submit`, the order's
 * key, the idempotency header when the platform takes one; a JSON body serialised as
 * shipgate's HTTP edge does). What an answer means stays with the adapter's `readSubmit`,
 * which k6 cannot run: the script counts the adapter's accepted statuses (a declarative
 * adapter's `submit.accepted`), or any 2xx when it names none.
 */
export function k6ShapeOf(adapter: PlatformAdapter, target = 'candidate'): K6RequestShape {
  return {
    name: adapter.name,
    acceptedStatuses: adapter.acceptedStatuses ?? [],
    request: async (order) => {
      const key = adapter.key ? await adapter.key(order, target) : order.id;
      const request = await adapter.submit(order, { key, target, attempt: 1 });
      const json = request.body !== undefined && typeof request.body !== 'string';
      return {
        id: order.id,
        method: request.method,
        path: request.path,
        headers: {
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
          ...(adapter.idempotency.kind === 'header' ? { [adapter.idempotency.header]: key } : {}),
        },
        body:
          request.body === undefined ? null : json ? JSON.stringify(request.body) : (request.body as string),
      };
    },
  };
}
