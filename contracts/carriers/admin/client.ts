import { requestJson } from '../http.ts';
import type { Fault, FaultStatus } from './api.ts';

/**
 * A small client for the sandbox services' admin API (faults, provider states), for
 * fault scenarios and Pact provider verification. Throws with the service's message on
 * any non-2xx answer, so a refused fault list is never mistaken for an applied one.
 */
export interface SandboxAdminClient {
  setFaults(faults: Fault[]): Promise<FaultStatus[]>;
  getFaults(): Promise<FaultStatus[]>;
  clearFaults(): Promise<void>;
  providerState(
    state: string,
    params?: Record<string, unknown>,
    action?: 'setup' | 'teardown',
  ): Promise<void>;
  providerStates(): Promise<{ name: string; description: string }[]>;
}

export function createSandboxAdminClient(options: {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}): SandboxAdminClient {
  const call = async <T>(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await requestJson({
      baseUrl: options.baseUrl,
      method,
      path: `/admin${path}`,
      body,
      headers: { authorization: `Bearer ${options.token}` },
      timeoutMs: options.timeoutMs ?? 5_000,
    });
    if (response.status < 200 || response.status >= 300) {
      const message =
        (response.body as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`;
      throw new Error(`${options.baseUrl} admin ${method} ${path}: ${message}`);
    }
    return response.body as T;
  };
  return {
    setFaults: async (faults) => (await call<{ faults: FaultStatus[] }>('PUT', '/faults', { faults })).faults,
    getFaults: async () => (await call<{ faults: FaultStatus[] }>('GET', '/faults')).faults,
    clearFaults: async () => {
      await call('DELETE', '/faults');
    },
    providerState: async (state, params, action) => {
      await call('POST', '/provider-state', {
        state,
        ...(params ? { params } : {}),
        ...(action ? { action } : {}),
      });
    },
    providerStates: async () =>
      (await call<{ states: { name: string; description: string }[] }>('GET', '/provider-states')).states,
  };
}
