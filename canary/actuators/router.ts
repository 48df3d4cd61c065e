import { request } from 'undici';
import { type Actuator, type ActuatorPhase, type ActuatorState, PermanentActuatorError } from './actuator.ts';

/**
 * The sandbox router's admin API (sandbox/router/app.ts): PUT /admin/weight,
 * POST /admin/promote, POST /admin/rollback (both idempotent), GET /admin/state, with
 * a bearer token. One attempt per call; wrap it in `withRetries` for backoff.
 */
export interface RouterActuatorOptions {
  url: string;
  token: string;
  timeoutMs?: number;
}

interface RouterState {
  canaryWeight: number;
  phase: ActuatorPhase;
  revision: number;
}

export function routerActuator(options: RouterActuatorOptions): Actuator {
  const base = options.url.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? 5_000;
  const call = async (
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<ActuatorState> => {
    const response = await request(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw new PermanentActuatorError(
        `${method} ${path} answered ${response.statusCode}: the admin token was refused`,
      );
    }
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    let state: RouterState;
    try {
      state = JSON.parse(text) as RouterState;
    } catch {
      throw new Error(`${method} ${path} answered 200 with a body that is not JSON`);
    }
    if (typeof state.canaryWeight !== 'number' || typeof state.phase !== 'string') {
      throw new Error(`${method} ${path} answered 200 without canaryWeight/phase`);
    }
    return { weight: state.canaryWeight, phase: state.phase, revision: state.revision };
  };
  const expect = (want: ActuatorPhase, what: string) => async (state: Promise<ActuatorState>) => {
    const s = await state;
    if (s.phase !== want) throw new Error(`${what}: the router reports phase ${s.phase}, expected ${want}`);
    return s;
  };
  return {
    name: `sandbox router ${base}`,
    state: () => call('GET', '/admin/state'),
    setWeight: async (weight) => {
      const s = await call('PUT', '/admin/weight', { weight });
      if (s.weight !== weight)
        throw new Error(`set weight: the router reports ${s.weight}%, expected ${weight}%`);
      return s;
    },
    promote: () => expect('promoted', 'promote')(call('POST', '/admin/promote')),
    rollback: () => expect('rolled_back', 'rollback')(call('POST', '/admin/rollback')),
  };
}
