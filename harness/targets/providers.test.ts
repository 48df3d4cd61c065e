import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.ts';
import { configuredTargets } from './providers.ts';

describe('contracts.providers: any provider, secrets from the environment', () => {
  const providers = {
    'kestrel-depot': {
      baseUrl: { env: 'DEPOT_URL' },
      stateChangeUrl: '/_pact/state',
      headers: { 'X-Depot-Token': { env: 'DEPOT_TOKEN' }, Accept: 'application/json' },
    },
    'gullwing-couriers': {
      baseUrl: 'https://sandbox.gullwing.example/',
      stateChangeUrl: { env: 'GULLWING_STATES' },
      stateChangeHeaders: { Authorization: { env: 'GULLWING_ADMIN', prefix: 'Bearer ' } },
      headers: { Authorization: { env: 'GULLWING_KEY', prefix: 'Bearer ' } },
    },
  };

  it('accepts any provider name in the config and reads each variable when the layer runs', () => {
    const { resolved } = validateConfig({ contracts: { providers } }, 'shipgate.config.ts');
    const env = {
      DEPOT_URL: 'http://127.0.0.1:4100',
      DEPOT_TOKEN: 'd-secret',
      GULLWING_STATES: 'https://states.gullwing.example/pact',
      GULLWING_ADMIN: 'a-secret',
      GULLWING_KEY: 'k-secret',
    };
    expect(configuredTargets(resolved.contracts.providers!, env)).toEqual([
      {
        provider: 'kestrel-depot',
        baseUrl: 'http://127.0.0.1:4100',
        headers: { 'X-Depot-Token': 'd-secret', Accept: 'application/json' },
        stateChange: { url: 'http://127.0.0.1:4100/_pact/state' },
      },
      {
        provider: 'gullwing-couriers',
        baseUrl: 'https://sandbox.gullwing.example',
        headers: { Authorization: 'Bearer k-secret' },
        stateChange: {
          url: 'https://states.gullwing.example/pact',
          headers: { Authorization: 'Bearer a-secret' },
        },
      },
    ]);
  });

  it('names the variable and the config key when one is not set', () => {
    expect(() => configuredTargets(providers, { DEPOT_URL: 'http://127.0.0.1:4100' })).toThrow(
      /environment variable DEPOT_TOKEN is not set; verifying kestrel-depot reads it \(the config names it: contracts\.providers\.kestrel-depot\.headers\.X-Depot-Token\)/,
    );
  });

  it('refuses a credential written into the config, naming the key', () => {
    expect(() =>
      validateConfig(
        {
          contracts: {
            providers: { depot: { baseUrl: 'http://x.test', headers: { 'X-Depot-Token': 'abc' } } },
          },
        },
        'shipgate.config.ts',
      ),
    ).toThrow(
      /shipgate\.config\.ts: contracts\.providers\.depot\.headers\.X-Depot-Token: a credential is never written/,
    );
  });

  it('refuses the old enum shape with a clear key', () => {
    expect(() => validateConfig({ contracts: { providers: ['steppe'] } }, 'c.ts')).toThrow(
      /contracts\.providers/,
    );
  });
});
