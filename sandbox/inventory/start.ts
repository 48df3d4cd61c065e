import type { RunningService } from '../carriers/start.ts';
import { buildInventoryApp, type InventoryServiceOptions } from './app.ts';

/** Starts the inventory service on loopback (port 0 picks a free port) and returns its base URL. */
export async function startInventory(
  options: InventoryServiceOptions & { host?: string; port?: number },
): Promise<RunningService> {
  const app = await buildInventoryApp(options);
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { name: 'inventory', url, app, close: () => app.close() };
}
