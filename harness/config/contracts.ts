import { CREDENTIAL_HEADER as CREDENTIAL } from '../../core/http/credentials.ts';
import type { ContractsConfig } from './schema.ts';

/**
 * The config's literal header values that look like credentials, as `[key, problem]`:
 * a committed config must not hold a secret, so these are config errors. Provider
 * headers of the contracts layer, and the raw replay's `replay.headers`.
 */
export function literalCredentials(
  providers: ContractsConfig['providers'],
  replayHeaders: Record<string, unknown> = {},
): [string, string][] {
  const found: [string, string][] = [];
  const check = (key: string, headers: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(headers ?? {}))
      if (typeof value === 'string' && CREDENTIAL.test(name))
        found.push([
          `${key}.${name}`,
          `a credential is never written in the config; name the environment variable that holds it: { env: 'VARIABLE' }`,
        ]);
  };
  for (const [provider, p] of Object.entries(providers ?? {}))
    for (const at of ['headers', 'stateChangeHeaders'] as const)
      check(`contracts.providers.${provider}.${at}`, p[at]);
  check('replay.headers', replayHeaders);
  return found;
}
