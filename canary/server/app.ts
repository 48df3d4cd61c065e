import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { recordRoutes } from '../../core/http/route-table.ts';
import { argoPlugin } from './argo.ts';
import { flaggerPlugin } from './flagger.ts';
import { guardScope } from './guard.ts';
import { createGateMetrics, type GateMetrics } from './metrics.ts';
import type { GateSession } from './session.ts';

/**
 * shipgate's gate server: the endpoints Flagger's webhooks and Argo Rollouts' web
 * provider call, each in its own encapsulated plugin behind one token check that runs
 * before anything else (guard.ts), plus unauthenticated `/healthz` and `/metrics` (no
 * secrets, no order data there).
 *
 * Flagger cannot send headers from a webhook, so its calls may carry the token as
 * `metadata.token` instead (it then lives in the Canary resource: keep that namespace's
 * RBAC tight, or put a header-adding proxy in front).
 */
export interface GateServerOptions {
  token: string;
  /** A session per canary (namespace/name); `fresh` starts a new analysis. */
  sessionFor(key: string): GateSession;
  /** Default 16 KiB: webhook payloads are small; anything bigger is refused (401 without the token, else 413). */
  bodyLimit?: number;
  logger?: boolean;
}

export const DEFAULT_GATE_BODY_LIMIT = 16 * 1024;
export const DEFAULT_GATE_HOST = '127.0.0.1';

export function buildGateServer(options: GateServerOptions): { app: FastifyInstance; metrics: GateMetrics } {
  if (!options.token) throw new Error('the gate server needs a token');
  const metrics = createGateMetrics();
  const sessions = new Map<string, GateSession>();
  const session = (key: string, fresh = false) => {
    let s = sessions.get(key);
    if (!s || fresh) {
      s = options.sessionFor(key);
      sessions.set(key, s);
    }
    return s;
  };

  const bodyLimit = options.bodyLimit ?? DEFAULT_GATE_BODY_LIMIT;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit }).withTypeProvider<TypeBoxTypeProvider>();
  recordRoutes(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.register(async (gated) => {
    guardScope(gated, { token: options.token, bodyLimit, metrics });
    await gated.register(flaggerPlugin, { session, metrics });
    await gated.register(argoPlugin, { session: (key: string) => session(key), metrics });
  });

  return { app, metrics };
}

/** Builds and listens; loopback unless `host` says otherwise. */
export async function startGateServer(
  options: GateServerOptions & { host?: string; port?: number },
): Promise<{ url: string; app: FastifyInstance; metrics: GateMetrics; close(): Promise<void> }> {
  const built = buildGateServer(options);
  const url = await built.app.listen({ host: options.host ?? DEFAULT_GATE_HOST, port: options.port ?? 0 });
  return { ...built, url, close: () => built.app.close() };
}
