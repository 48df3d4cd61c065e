import type { Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { createCarrierClient } from '../../contracts/carriers/index.ts';
import { createInventoryClient } from '../../contracts/inventory/http-client.ts';
import { type RouteEntry, routesOf } from '../../core/http/route-table.ts';
import { startCarrier } from '../carriers/start.ts';
import { createClock } from '../clock/clock.ts';
import { startInventory } from '../inventory/start.ts';
import { buildPlatformApp } from '../platform/app.ts';
import { buildRouterApp } from '../router/app.ts';
import type { PartialWorldUrls, ServiceSpec, WorldConfig } from './topology.ts';

export interface RunningService {
  name: string;
  url: string;
  /** Every route the service registered (the access tests walk them). */
  routes: readonly RouteEntry[];
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts one service of the world on loopback (port 0 unless given), wiring it to the
 * URLs of the services started before it.
 */
export async function startService(
  spec: ServiceSpec,
  config: WorldConfig,
  urls: PartialWorldUrls,
  options: { tracer?: Tracer; port?: number } = {},
): Promise<RunningService> {
  const clock = createClock(config.anchor);
  const port = options.port ?? 0;
  const latency = config.latency === 'none' ? { minMs: 0, maxMs: 0 } : undefined;
  switch (spec.kind) {
    case 'inventory': {
      const service = await startInventory({
        clock,
        host: HOST,
        port,
        adminToken: config.adminToken,
        seed: config.seed,
        latency,
      });
      return { name: spec.name, url: service.url, routes: routesOf(service.app), close: service.close };
    }
    case 'carrier': {
      const service = await startCarrier(spec.name, {
        clock,
        host: HOST,
        port,
        apiKey: config.carrierKeys[spec.name],
        adminToken: config.adminToken,
        seed: config.seed,
        latency,
      });
      return { name: spec.name, url: service.url, routes: routesOf(service.app), close: service.close };
    }
    case 'platform': {
      const carriers = Object.entries(urls.carriers ?? {}).map(([name, baseUrl]) =>
        createCarrierClient(name as keyof WorldConfig['carrierKeys'], {
          baseUrl,
          apiKey: config.carrierKeys[name as keyof WorldConfig['carrierKeys']],
          // The unit-mismatch defect lives in the real client code path, switched on here.
          weightUnitBug: spec.defect === 'unit-mismatch',
        }),
      );
      const app = buildPlatformApp({
        version: spec.name,
        defect: spec.defect,
        clock,
        inventory: createInventoryClient({ baseUrl: required(urls.inventory, 'inventory') }),
        carriers,
        tracer: options.tracer,
        seed: config.seed + (spec.name === 'canary' ? 1 : 0),
      });
      return listen(spec.name, app, port);
    }
    case 'router': {
      const app = buildRouterApp({
        stableUrl: required(urls.stable, 'stable platform'),
        canaryUrl: required(urls.canary, 'canary platform'),
        adminToken: config.adminToken,
        initialWeight: config.initialWeight,
      });
      return listen(spec.name, app, port);
    }
  }
}

async function listen(name: string, app: FastifyInstance, port: number): Promise<RunningService> {
  const url = await app.listen({ host: HOST, port });
  return { name, url, routes: routesOf(app), close: () => app.close() };
}

function required(url: string | undefined, what: string): string {
  if (!url) throw new Error(`the ${what} must start before the services that call it`);
  return url;
}
