import { request } from 'undici';
import type { OrderState } from '../../contracts/platform/api.ts';
import { shipgateError } from '../../core/errors.ts';

/**
 * Lists every order a platform served, through its own API (`GET /v1/orders`, paged
 * with `after`). Pointed at the canary build's URL, that is the canary's blast radius.
 * Bounded in pages and time; a platform that cannot be listed is a loud error, never
 * an empty blast radius.
 */
export async function listOrders(
  platformUrl: string,
  options: {
    pageSize?: number;
    maxPages?: number;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<OrderState[]> {
  const base = platformUrl.replace(/\/+$/, '');
  const pageSize = options.pageSize ?? 1000;
  const orders: OrderState[] = [];
  let after: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 10_000); page++) {
    const query = new URLSearchParams({ limit: String(pageSize), ...(after ? { after } : {}) });
    const url = `${base}/v1/orders?${query}`;
    let body: { orders: OrderState[]; next?: string };
    try {
      const response = await request(url, {
        headers: options.headers,
        headersTimeout: options.timeoutMs ?? 10_000,
        bodyTimeout: options.timeoutMs ?? 10_000,
      });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        throw new Error(`answered ${response.statusCode}: ${text.slice(0, 200)}`);
      }
      body = (await response.body.json()) as typeof body;
    } catch (error) {
      throw shipgateError(
        'SG_UPSTREAM_UNAVAILABLE',
        {
          service: 'canary platform order listing',
          url: `${base}/v1/orders`,
          reason: error instanceof Error ? error.message : String(error),
        },
        error,
      );
    }
    orders.push(...body.orders);
    if (!body.next || body.orders.length === 0) return orders;
    after = body.next;
  }
  return orders;
}
