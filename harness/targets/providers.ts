import type { ProviderTarget } from '../../contracts/verify/verify.ts';
import { startSandboxProviders } from './sandbox-providers.ts';

export interface ProviderTargets {
  targets: ProviderTarget[];
  /** "embedded sandbox" or the configured base URLs, for the report's release line. */
  description: string;
  stop(): Promise<void>;
}

/**
 * The providers the contracts layer verifies against: the ones the user configured
 * (their own base URLs), or else the sandbox's, started here in-process and stopped by
 * `stop()`. The layer itself is handed these and never starts a provider.
 */
export async function providerTargets(
  configured: ProviderTarget[] | undefined,
  providers?: readonly string[],
): Promise<ProviderTargets> {
  if (configured?.length) {
    return {
      targets: configured,
      description: [...new Set(configured.map((t) => new URL(t.baseUrl).origin))].join(', '),
      stop: async () => {},
    };
  }
  const sandbox = await startSandboxProviders(providers);
  return { targets: sandbox.targets, description: 'embedded sandbox', stop: sandbox.stop };
}
