/**
 * Provider states over HTTP: POST <baseUrl>/admin/provider-state {state, params, action}
 * with the admin bearer token (the sandbox services' admin API; a user's own provider can
 * expose the same endpoint). Failures are kept, not thrown into Pact's proxy (which would
 * only print them), so the report can say "state X could not be set up".
 */
export interface StateClient {
  setup(state: string, params?: Record<string, unknown>): Promise<void>;
  teardown(state: string, params?: Record<string, unknown>): Promise<void>;
  /** Resets the provider between interactions (the `default` state). */
  reset(): Promise<void>;
  readonly errors: string[];
}

export function httpStateClient(baseUrl: string, adminToken: string, timeoutMs = 5_000): StateClient {
  const errors: string[] = [];
  const post = async (
    state: string,
    params: Record<string, unknown> | undefined,
    action: 'setup' | 'teardown',
  ) => {
    try {
      const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/admin/provider-state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
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
    reset: () => post('default', {}, 'setup'),
  };
}
