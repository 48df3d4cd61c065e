/**
 * Provider states the Pact way: a POST to the provider's state-change URL with
 * `{ state, params, action }`, `action` being `setup` before an interaction and
 * `teardown` after it (the body pact-js sends with `providerStatesSetupBody` and
 * `providerStatesSetupTeardown`). Any provider that serves such an endpoint works: the
 * sandbox's `/admin/provider-state` (a bearer token in `headers`) is one preset of it.
 *
 * shipgate makes the calls itself (from the verifier's state handlers) instead of handing
 * the URL to Pact's native verifier: it can add the endpoint's own headers, and a failed
 * state is kept, not printed and forgotten, so the report can say "state X could not be
 * set up" and the verdict is not a pass built on an unprepared provider.
 */
export interface StateChange {
  /** The provider's state-change endpoint. */
  url: string;
  /** Headers of the state-change calls (e.g. an admin token); secrets, never reported. */
  headers?: Record<string, string>;
  /** A state set up before every interaction, to reset the provider (the sandbox's `default`). */
  resetState?: string;
}

export interface StateClient {
  setup(state: string, params?: Record<string, unknown>): Promise<void>;
  teardown(state: string, params?: Record<string, unknown>): Promise<void>;
  /** Sets up `resetState`, when there is one. */
  reset(): Promise<void>;
  readonly errors: string[];
}

export function httpStateClient(change: StateChange, timeoutMs = 5_000): StateClient {
  const errors: string[] = [];
  const post = async (
    state: string,
    params: Record<string, unknown> | undefined,
    action: 'setup' | 'teardown',
  ) => {
    try {
      const response = await fetch(change.url, {
        method: 'POST',
        headers: { ...change.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ state, params: params ?? {}, action }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        const text = await response.text();
        errors.push(`provider state "${state}" (${action}): HTTP ${response.status} ${text.slice(0, 300)}`);
      }
    } catch (error) {
      errors.push(`provider state "${state}" (${action}): ${(error as Error).message}`);
    }
  };
  return {
    errors,
    setup: (state, params) => post(state, params, 'setup'),
    teardown: (state, params) => post(state, params, 'teardown'),
    reset: async () => {
      if (change.resetState) await post(change.resetState, {}, 'setup');
    },
  };
}

/** The sandbox's services: `/admin/provider-state` with the admin bearer token, reset by `default`. */
export function sandboxStateChange(baseUrl: string, adminToken: string): StateChange {
  return {
    url: `${baseUrl.replace(/\/+$/, '')}/admin/provider-state`,
    headers: { authorization: `Bearer ${adminToken}` },
    resetState: 'default',
  };
}
