import type { Actuator } from './actuator.ts';
import { type HttpActuatorSpec, httpActuator } from './http.ts';

/**
 * The sandbox router's admin API (sandbox/router/app.ts) as a preset of the HTTP
 * actuator: PUT /admin/weight, POST /admin/promote, POST /admin/rollback (both
 * idempotent), GET /admin/state, with a bearer token; every answer must confirm the
 * action (`canaryWeight`, `phase`). One attempt per call; wrap it in `withRetries`.
 */
export interface RouterActuatorOptions {
  url: string;
  token: string;
  timeoutMs?: number;
}

export function routerPreset(options: RouterActuatorOptions): HttpActuatorSpec {
  const base = options.url.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.token}` };
  return {
    name: `sandbox router ${base}`,
    setWeight: { method: 'PUT', url: `${base}/admin/weight`, headers, body: '{"weight": {{weight}}}' },
    promote: { method: 'POST', url: `${base}/admin/promote`, headers },
    rollback: { method: 'POST', url: `${base}/admin/rollback`, headers },
    state: { method: 'GET', url: `${base}/admin/state`, headers },
    answer: { weight: 'canaryWeight', phase: 'phase' },
    confirm: true,
    timeoutMs: options.timeoutMs ?? 5_000,
  };
}

export function routerActuator(options: RouterActuatorOptions): Actuator {
  return httpActuator(routerPreset(options));
}
