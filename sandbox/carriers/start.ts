import type { FastifyInstance } from 'fastify';
import type { CarrierName } from '../../contracts/domain/shipping.ts';
import { buildCarrierApp, type CarrierServiceOptions } from './app.ts';

export interface RunningService {
  name: string;
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts a carrier on loopback (port 0 picks a free port) and returns its base URL. */
export async function startCarrier(
  name: CarrierName,
  options: CarrierServiceOptions & { host?: string; port?: number },
): Promise<RunningService> {
  const app = await buildCarrierApp(name, options);
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { name, url: address, app, close: () => app.close() };
}
