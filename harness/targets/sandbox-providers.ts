import { randomBytes } from 'node:crypto';
import { CARRIERS, type CarrierName } from '../../contracts/domain/shipping.ts';
import { sandboxStateChange } from '../../contracts/verify/states.ts';
import type { ProviderTarget } from '../../contracts/verify/verify.ts';
import { manualClock } from '../../sandbox/admin/manual-clock.ts';
import { startCarrier } from '../../sandbox/carriers/start.ts';
import { startInventory } from '../../sandbox/inventory/start.ts';
import { authHeaders } from './sandbox-auth.ts';

export interface RunningProviders {
  targets: ProviderTarget[];
  stop(): Promise<void>;
}

/**
 * Starts the sandbox's providers in this process, on loopback, each with a fresh API key
 * and admin token, on a frozen virtual clock (contract checks do not depend on time
 * passing). Only the harness starts them, when no provider of the user's is configured.
 */
export async function startSandboxProviders(
  providers: readonly string[] = [...CARRIERS, 'inventory'],
): Promise<RunningProviders> {
  const clock = manualClock();
  const adminToken = randomBytes(16).toString('hex');
  const running: { close(): Promise<void> }[] = [];
  const targets: ProviderTarget[] = [];
  const stop = async () => {
    for (const service of running.reverse()) await service.close().catch(() => undefined);
  };
  try {
    for (const name of providers) {
      const apiKey = randomBytes(12).toString('hex');
      const options = { clock, apiKey, adminToken, latency: { minMs: 0, maxMs: 0 } };
      let service: { url: string; close(): Promise<void> };
      if (name === 'inventory') service = await startInventory(options);
      else if ((CARRIERS as readonly string[]).includes(name))
        service = await startCarrier(name as CarrierName, options);
      else continue;
      running.push(service);
      targets.push(sandboxTarget(name, service.url, apiKey, adminToken));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { targets, stop };
}

/**
 * The sandbox's preset of a provider target: the provider's own auth style for its API
 * key, and provider states through its `/admin/provider-state` with the admin token.
 */
export function sandboxTarget(
  provider: string,
  baseUrl: string,
  apiKey: string,
  adminToken: string,
): ProviderTarget {
  return {
    provider,
    baseUrl,
    headers: authHeaders(provider, apiKey),
    stateChange: sandboxStateChange(baseUrl, adminToken),
    apiKey,
  };
}
