import { request } from 'undici';
import { type Actuator, type ActuatorOp, type ActuatorState, PermanentActuatorError } from './actuator.ts';

/**
 * A generic webhook: POSTs `{ action, weight?, rolloutId }` as JSON to one URL with a
 * bearer token, for deploy systems shipgate has no adapter for. The receiver must treat
 * each action as idempotent (resume may repeat one) and answer 2xx when it is done;
 * it may answer `{ weight, phase }` to report its state.
 */
export interface WebhookActuatorOptions {
  url: string;
  token: string;
  /** Sent with every call so the receiver can tell rollouts apart. */
  rolloutId?: string;
  timeoutMs?: number;
}

export function webhookActuator(options: WebhookActuatorOptions): Actuator {
  const timeout = options.timeoutMs ?? 10_000;
  let known: ActuatorState = { weight: null, phase: 'unknown' };
  const post = async (action: ActuatorOp, weight?: number): Promise<ActuatorState> => {
    const response = await request(options.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        action,
        ...(weight !== undefined ? { weight } : {}),
        rolloutId: options.rolloutId ?? null,
      }),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    if (response.statusCode === 401 || response.statusCode === 403)
      throw new PermanentActuatorError(`webhook answered ${response.statusCode}: the token was refused`);
    if (response.statusCode >= 300)
      throw new Error(`webhook answered ${response.statusCode}: ${text.slice(0, 200)}`);
    const fallback: ActuatorState =
      action === 'set-weight'
        ? { weight: weight ?? null, phase: 'progressing' }
        : action === 'promote'
          ? { weight: 100, phase: 'promoted' }
          : action === 'rollback'
            ? { weight: 0, phase: 'rolled_back' }
            : known;
    try {
      const body = JSON.parse(text) as { weight?: unknown; phase?: unknown };
      known = {
        weight: typeof body.weight === 'number' ? body.weight : fallback.weight,
        phase: typeof body.phase === 'string' ? (body.phase as ActuatorState['phase']) : fallback.phase,
      };
    } catch {
      known = fallback;
    }
    return known;
  };
  let host = options.url;
  try {
    host = new URL(options.url).origin;
  } catch {
    // reported by the first call
  }
  return {
    name: `webhook ${host}`,
    setWeight: (weight) => post('set-weight', weight),
    promote: () => post('promote'),
    rollback: () => post('rollback'),
    state: () => post('state'),
  };
}
