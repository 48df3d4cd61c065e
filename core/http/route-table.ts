import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Every route a fastify app registers, as the app itself saw them (fastify's onRoute
 * hook, added before any route). Tests enumerate protected routes from here, so a route
 * added later cannot escape the access checks by being missing from a hand-kept list.
 */
export interface RouteEntry {
  method: string;
  url: string;
  /** The JSON schema's required properties of the body, or of the query string. */
  requiredBody: readonly string[];
  requiredQuery: readonly string[];
  /** Typed query fields (name → JSON schema type), to send a wrong type on purpose. */
  queryTypes: Readonly<Record<string, string>>;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Call right after `Fastify()`, before any route: from then on every route is recorded. */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as
      | { body?: { required?: string[] }; querystring?: { required?: string[]; properties?: object } }
      | undefined;
    const properties = (schema?.querystring?.properties ?? {}) as Record<string, { type?: unknown }>;
    for (const method of [route.method].flat())
      table.push({
        method,
        url: route.url,
        requiredBody: schema?.body?.required ?? [],
        requiredQuery: schema?.querystring?.required ?? [],
        queryTypes: Object.fromEntries(
          Object.entries(properties).flatMap(([k, v]) => (typeof v.type === 'string' ? [[k, v.type]] : [])),
        ),
      });
  });
}

/** The routes recorded for `app` (throws if `recordRoutes` was never called on it). */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  const table = tables.get(app);
  if (!table) throw new Error('routesOf: recordRoutes(app) was not called right after Fastify()');
  return table;
}
