/**
 * Pact provider states a sandbox service can be put into over POST /admin/provider-state.
 * A state is found by its exact name or by a pattern whose named groups become params,
 * so both "SKU has stock" with params {sku, qty} and "SKU PHN-0001 has 3 in stock" work.
 */
export interface ProviderState {
  description: string;
  /** Matches parameterised names; named groups are merged into params (explicit params win). */
  pattern?: RegExp;
  setup(params: Record<string, unknown>): void | Promise<void>;
  teardown?(params: Record<string, unknown>): void | Promise<void>;
}

export type ProviderStates = Record<string, ProviderState>;

export function findProviderState(
  states: ProviderStates,
  name: string,
  params: Record<string, unknown> = {},
): { state: ProviderState; params: Record<string, unknown> } | undefined {
  const exact = states[name];
  if (exact) return { state: exact, params };
  for (const state of Object.values(states)) {
    const groups = state.pattern?.exec(name)?.groups;
    if (groups) return { state, params: { ...groups, ...params } };
  }
  return undefined;
}

/** Params arrive as JSON or as strings captured from a state name. */
export function stringParam(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') throw new Error(`param "${key}" must be a non-empty string`);
  return value;
}

export function numberParam(params: Record<string, unknown>, key: string, fallback?: number): number {
  const value = params[key];
  if (value === undefined && fallback !== undefined) return fallback;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number))
    throw new Error(`param "${key}" must be a number`);
  return number;
}

export function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
