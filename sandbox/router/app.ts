import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import Type, { type Static } from 'typebox';
import { Pool } from 'undici';
import { SERIES } from '../../canary/metrics/presets/builtin.ts';
import { LookupRequest, type LookupResponse, PLATFORM_PATHS } from '../../contracts/platform/api.ts';
import { recordRoutes } from '../../core/http/route-table.ts';
import { requireAdminToken } from '../admin/auth.ts';
import { ADMIN_BODY_LIMIT } from '../admin/service.ts';
import { routeFor } from './split.ts';

/**
 * The traffic router in front of the stable and canary platforms: splits order
 * intake by weight (sticky per order id), sends lookups to the build that took the
 * order, and takes weight / promote / rollback from an authenticated admin API.
 */
export const RouterPhase = Type.Enum(['stable', 'progressing', 'promoted', 'rolled_back']);
export const RouterState = Type.Object({
  canaryWeight: Type.Number({ minimum: 0, maximum: 100 }),
  phase: RouterPhase,
  /** Bumped by every change, so an actuator can tell its own change from another's. */
  revision: Type.Integer(),
  updatedAt: Type.String(),
});
export type RouterState = Static<typeof RouterState>;

export interface RouterOptions {
  stableUrl: string;
  canaryUrl: string;
  /** Bearer token for the /admin routes. */
  adminToken: string;
  initialWeight?: number;
  logger?: boolean;
}

type Version = 'stable' | 'canary';
const FORWARDED_HEADERS = ['traceparent', 'tracestate', 'idempotency-key'];
/** Orders whose build is remembered; older assignments fall back to asking both builds. */
const MAX_REMEMBERED = 2_000_000;

export function buildRouterApp(options: RouterOptions): FastifyInstance {
  const pools: Record<Version, Pool> = {
    stable: new Pool(options.stableUrl, { connections: 64 }),
    canary: new Pool(options.canaryUrl, { connections: 64 }),
  };
  const state: RouterState = {
    canaryWeight: options.initialWeight ?? 0,
    phase: (options.initialWeight ?? 0) > 0 ? 'progressing' : 'stable',
    revision: 0,
    updatedAt: new Date().toISOString(),
  };
  const assigned = new Map<string, Version>();

  const registry = new Registry();
  const requests = new Counter({
    name: SERIES.routerRequests,
    help: 'Requests routed, by the build that served them',
    labelNames: ['version', 'route'] as const,
    registers: [registry],
  });
  const weightGauge = new Gauge({
    name: SERIES.routerCanaryWeight,
    help: 'Share of new orders sent to the canary, percent',
    labelNames: ['version'] as const,
    registers: [registry],
  });
  weightGauge.set({ version: 'canary' }, state.canaryWeight);

  const change = (weight: number, phase: RouterState['phase']) => {
    state.canaryWeight = weight;
    state.phase = phase;
    state.revision += 1;
    state.updatedAt = new Date().toISOString();
    weightGauge.set({ version: 'canary' }, weight);
    return state;
  };

  const forward = async (
    version: Version,
    method: 'GET' | 'POST',
    path: string,
    reply: FastifyReply,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    requests.inc({ version, route: path.startsWith(PLATFORM_PATHS.orders) ? 'orders' : 'other' });
    const response = await pools[version].request({
      method,
      path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    reply
      .code(response.statusCode)
      .header('content-type', 'application/json')
      .header('x-shipgate-version', version);
    return text;
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
  }).withTypeProvider<TypeBoxTypeProvider>();
  recordRoutes(app);

  app.post(
    PLATFORM_PATHS.orders,
    { schema: { body: Type.Object({ id: Type.String() }, { additionalProperties: true }) } },
    async (request, reply) => {
      const id = request.body.id;
      const version = assigned.get(id) ?? routeFor(id, state.canaryWeight);
      if (assigned.size >= MAX_REMEMBERED) assigned.delete(assigned.keys().next().value!);
      assigned.set(id, version);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      return forward(version, 'POST', PLATFORM_PATHS.orders, reply, request.body, headers);
    },
  );

  app.get(
    PLATFORM_PATHS.order,
    { schema: { params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      const id = request.params.id;
      const path = `${PLATFORM_PATHS.orders}/${encodeURIComponent(id)}`;
      const known = assigned.get(id);
      if (known) return forward(known, 'GET', path, reply);
      const fromStable = await forward('stable', 'GET', path, reply);
      return reply.statusCode === 404 ? forward('canary', 'GET', path, reply) : fromStable;
    },
  );

  app.post(PLATFORM_PATHS.lookup, { schema: { body: LookupRequest } }, async (request) => {
    const byVersion: Record<Version, string[]> = { stable: [], canary: [] };
    const unknown: string[] = [];
    for (const id of request.body.ids) {
      const version = assigned.get(id);
      if (version) byVersion[version].push(id);
      else unknown.push(id);
    }
    byVersion.stable.push(...unknown);
    byVersion.canary.push(...unknown);
    const answers = await Promise.all(
      (['stable', 'canary'] as const)
        .filter((v) => byVersion[v].length > 0)
        .map(async (version) => {
          requests.inc({ version, route: 'lookup' });
          const response = await pools[version].request({
            method: 'POST',
            path: PLATFORM_PATHS.lookup,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ids: byVersion[version] }),
          });
          return (await response.body.json()) as LookupResponse;
        }),
    );
    const orders = answers.flatMap((a) => a.orders);
    const found = new Set(orders.map((o) => o.orderId));
    return { orders, missing: request.body.ids.filter((id) => !found.has(id)) };
  });

  app.get(PLATFORM_PATHS.clock, async (_request, reply) =>
    forward('stable', 'GET', PLATFORM_PATHS.clock, reply),
  );

  app.register(async (admin) => {
    requireAdminToken(admin, options.adminToken);
    admin.get('/admin/state', async () => state);
    admin.put(
      '/admin/weight',
      {
        bodyLimit: ADMIN_BODY_LIMIT,
        schema: {
          body: Type.Object(
            { weight: Type.Number({ minimum: 0, maximum: 100 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => change((request.body as { weight: number }).weight, 'progressing'),
    );
    // Promote and roll back are idempotent: repeating one changes nothing and says so.
    admin.post('/admin/promote', async () => (state.phase === 'promoted' ? state : change(100, 'promoted')));
    admin.post('/admin/rollback', async () =>
      state.phase === 'rolled_back' ? state : change(0, 'rolled_back'),
    );
    admin.post('/admin/reset', async () => change(0, 'stable'));
  });

  app.get('/healthz', async () => ({ status: 'ok', ...state }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  app.addHook('onClose', async () => {
    await Promise.all([pools.stable.close(), pools.canary.close()]);
  });
  return app;
}
