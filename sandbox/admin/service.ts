import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Region } from '../../contracts/domain/order.ts';
import { seededRandom } from '../../core/prng.ts';
import type { VirtualClock } from '../clock/clock.ts';
import { FaultList, type FaultStatus, ProviderStateRequest } from './api.ts';
import { requireAdminToken } from './auth.ts';
import { decideFault, FaultTable, type ServiceProfile } from './faults.ts';
import { createServiceMetrics, type ServiceMetrics } from './metrics.ts';
import { findProviderState, type ProviderStates } from './provider-states.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on a service's API routes: names the operation for metrics and fault filters. */
    operation?: string;
    /** Destination region of the request, for region-scoped faults. */
    region?: (request: FastifyRequest) => Region | undefined;
  }
}

export interface SandboxServiceOptions {
  service: string;
  version: string;
  clock: Pick<VirtualClock, 'now'>;
  adminToken: string;
  profile: ServiceProfile;
  seed: number;
  providerStates: ProviderStates;
}

export interface SandboxServiceKit {
  metrics: ServiceMetrics;
  faults: FaultTable;
}

/** Admin request bodies are small; a larger one is a mistake or an attack. */
export const ADMIN_BODY_LIMIT = 64 * 1024;

/**
 * What every sandbox service shares around its own API: /healthz, /metrics (own registry,
 * version label), the fault-injection hook on API routes (those whose config names an
 * `operation`), and the authenticated /admin scope (faults, provider states).
 */
export function installSandboxService(
  app: FastifyInstance,
  options: SandboxServiceOptions,
): SandboxServiceKit {
  const metrics = createServiceMetrics(options.service, options.version);
  const faults = new FaultTable();
  const random = seededRandom(options.seed ^ 0x5eed);
  // Requests held by a fault end when the service closes, so close() never waits on them.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.addHook('preHandler', async (request, reply) => {
    const { operation, region } = request.routeOptions.config;
    if (!operation) return;
    const decision = decideFault(
      options.profile,
      faults.faults,
      { now: options.clock.now(), operation, region: region?.(request) },
      random,
    );
    faults.recordApplied(decision.applied);
    for (const index of decision.applied) {
      metrics.faultsApplied.inc({ operation, kind: faults.faults[index]?.kind ?? 'unknown' });
    }
    if (decision.delayMs > 0 && !(await wait(decision.delayMs, closing.signal))) {
      return reply.code(503).send({ error: 'service_closing' });
    }
    const outcome = decision.outcome;
    if (outcome.type === 'error') {
      return reply
        .code(outcome.status)
        .send({ error: 'injected_fault', message: 'service unavailable', fault: outcome.faultId });
    }
    if (outcome.type === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (outcome.type === 'hang') {
      await wait(outcome.ms, closing.signal);
      return reply
        .code(504)
        .send({ error: 'gateway_timeout', message: 'upstream timed out', fault: outcome.faultId });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const { operation } = request.routeOptions.config;
    if (!operation) return;
    metrics.requests.inc({ operation, code: String(reply.statusCode) });
    metrics.requestSeconds.observe({ operation }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async () => ({ status: 'ok', service: options.service, version: options.version }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.register(
    async (admin) => {
      admin.addHook('onRoute', (route) => {
        route.bodyLimit = Math.min(route.bodyLimit ?? ADMIN_BODY_LIMIT, ADMIN_BODY_LIMIT);
      });
      requireAdminToken(admin, options.adminToken);
      admin.put('/faults', { schema: { body: FaultList } }, async (request) => {
        faults.replace((request.body as FaultList).faults);
        return { faults: faults.status(options.clock.now()) satisfies FaultStatus[] };
      });
      admin.get('/faults', async () => ({ faults: faults.status(options.clock.now()) }));
      admin.delete('/faults', async () => {
        faults.clear();
        return { faults: [] };
      });
      admin.get('/provider-states', async () => ({
        states: Object.entries(options.providerStates).map(([name, state]) => ({
          name,
          description: state.description,
        })),
      }));
      admin.post('/provider-state', { schema: { body: ProviderStateRequest } }, async (request, reply) => {
        const body = request.body as ProviderStateRequest;
        const found = findProviderState(options.providerStates, body.state, body.params);
        if (!found) {
          return reply.code(400).send({
            error: 'unknown_provider_state',
            message: `unknown provider state "${body.state}"; known: ${Object.keys(options.providerStates).join(', ')}`,
          });
        }
        try {
          if (body.action === 'teardown') await found.state.teardown?.(found.params);
          else await found.state.setup(found.params);
        } catch (error) {
          return reply
            .code(400)
            .send({ error: 'provider_state_failed', message: `${body.state}: ${(error as Error).message}` });
        }
        return { state: body.state, action: body.action ?? 'setup' };
      });
    },
    { prefix: '/admin' },
  );

  return { metrics, faults };
}

/** Waits real ms; false when the service closed meanwhile. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
