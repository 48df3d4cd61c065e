import { CREDENTIAL_HEADER as CREDENTIAL } from '../../core/http/credentials.ts';
import type { ContractsConfig } from './schema.ts';

/**
 * The config's literal header values that look like credentials, as `[key, problem]`:
 * a committed config must not hold a secret, so these are config errors.
 */
export function literalCredentials(providers: ContractsConfig['providers']): [string, string][] {
  const found: [string, string][] = [];
  for (const [provider, p] of Object.entries(providers ?? {}))
    for (const at of ['headers', 'stateChangeHeaders'] as const)
      for (const [name, value] of Object.entries(p[at] ?? {}))
        if (typeof value === 'string' && CREDENTIAL.test(name))
          found.push([
            `contracts.providers.${provider}.${at}.${name}`,
            `a credential is never written in the config; name the environment variable that holds it: { env: 'VARIABLE' }`,
          ]);
  return found;
}
