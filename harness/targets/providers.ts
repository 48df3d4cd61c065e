import type { BrokerConfig } from '../../contracts/broker/index.ts';
import { sandboxStateChange } from '../../contracts/verify/states.ts';
import type { ProviderTarget } from '../../contracts/verify/verify.ts';
import { shipgateError } from '../../core/errors.ts';
import type { ContractsConfig } from '../config/schema.ts';
import { authHeaders } from './sandbox-auth.ts';
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

type ProvidersConfig = NonNullable<ContractsConfig['providers']>;
type Value = string | { env: string; prefix?: string };

/**
 * `contracts.providers` of the config as verification targets, each value that names an
 * environment variable read now (when the layer runs, not when the config loads, so a
 * secret lives only in memory for the verification). A variable that is not set stops
 * the run as a usage error naming the variable and the config key.
 */
export function configuredTargets(
  providers: ProvidersConfig,
  env: NodeJS.ProcessEnv = process.env,
): ProviderTarget[] {
  return Object.entries(providers).map(([provider, p]) => {
    const key = `contracts.providers.${provider}`;
    const read = (value: Value, at: string): string => {
      if (typeof value === 'string') return value;
      const found = env[value.env];
      if (found === undefined || found === '')
        throw shipgateError('SG_ENV_MISSING', {
          variable: value.env,
          what: `verifying ${provider}`,
          key: `${key}.${at}`,
        });
      return `${value.prefix ?? ''}${found}`;
    };
    const headers = (values: Record<string, Value> | undefined, at: string) =>
      Object.fromEntries(Object.entries(values ?? {}).map(([name, v]) => [name, read(v, `${at}.${name}`)]));
    const baseUrl = read(p.baseUrl, 'baseUrl').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(baseUrl))
      throw shipgateError('SG_USAGE', {
        message: `${key}.baseUrl must be an http(s) URL, got "${baseUrl}"`,
      });
    const stateUrl = p.stateChangeUrl === undefined ? undefined : read(p.stateChangeUrl, 'stateChangeUrl');
    return {
      provider,
      baseUrl,
      ...(p.headers ? { headers: headers(p.headers, 'headers') } : {}),
      ...(stateUrl
        ? {
            stateChange: {
              url: stateUrl.startsWith('/') ? `${baseUrl}${stateUrl}` : stateUrl,
              ...(p.stateChangeHeaders
                ? { headers: headers(p.stateChangeHeaders, 'stateChangeHeaders') }
                : {}),
            },
          }
        : {}),
    };
  });
}

/**
 * `--provider NAME --base-url URL`: the provider's API key (in its own auth style when it
 * is one the platform's clients know, else a bearer token) and its states through
 * `--state-change-url`, or the sandbox-style `/admin/provider-state` with `--admin-token`.
 */
export function flagTarget(o: {
  provider: string;
  baseUrl: string;
  apiKey?: string;
  adminToken?: string;
  stateChangeUrl?: string;
}): ProviderTarget {
  const baseUrl = o.baseUrl.replace(/\/+$/, '');
  const stateChange = o.stateChangeUrl
    ? { url: o.stateChangeUrl.startsWith('/') ? `${baseUrl}${o.stateChangeUrl}` : o.stateChangeUrl }
    : o.adminToken
      ? sandboxStateChange(baseUrl, o.adminToken)
      : undefined;
  return {
    provider: o.provider,
    baseUrl,
    ...(o.apiKey ? { headers: authHeaders(o.provider, o.apiKey), apiKey: o.apiKey } : {}),
    ...(stateChange ? { stateChange } : {}),
  };
}

/** The broker of the config's `contracts.broker`, its token read from the environment now. */
export function configuredBroker(broker: ContractsConfig['broker'] | undefined): BrokerConfig | undefined {
  if (!broker) return undefined;
  const token = broker.tokenEnv ? process.env[broker.tokenEnv] : undefined;
  return { baseUrl: broker.url, ...(token ? { token } : {}) };
}
