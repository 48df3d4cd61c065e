import type { Actuator } from './actuator.ts';
import { type HttpActuatorSpec, httpActuator } from './http.ts';

/**
 * A generic webhook, as a preset of the HTTP actuator: POSTs `{ action, weight?,
 * rolloutId }` as JSON to one URL with a bearer token, for deploy systems shipgate has
 * no adapter for. The receiver must treat each action as idempotent (resume may repeat
 * one) and answer 2xx when it is done; it may answer `{ weight, phase }` to report its
 * state, else the state the action implies is assumed (README: "What moves traffic").
 */
export interface WebhookActuatorOptions {
  url: string;
  token: string;
  /** Sent with every call so the receiver can tell rollouts apart. */
  rolloutId?: string;
  timeoutMs?: number;
}

export function webhookPreset(options: WebhookActuatorOptions): HttpActuatorSpec {
  const post = (body: string) => ({
    method: 'POST' as const,
    url: options.url,
    headers: { authorization: `Bearer ${options.token}` },
    body,
  });
  let host = options.url;
  try {
    host = new URL(options.url).origin;
  } catch {
    // reported by the first call
  }
  return {
    name: `webhook ${host}`,
    setWeight: post('{"action": "set-weight", "weight": {{weight}}, "rolloutId": {{rolloutId}}}'),
    promote: post('{"action": "promote", "rolloutId": {{rolloutId}}}'),
    rollback: post('{"action": "rollback", "rolloutId": {{rolloutId}}}'),
    state: post('{"action": "state", "rolloutId": {{rolloutId}}}'),
    answer: { weight: 'weight', phase: 'phase' },
    ...(options.rolloutId ? { rolloutId: options.rolloutId } : {}),
    timeoutMs: options.timeoutMs ?? 10_000,
  };
}

export function webhookActuator(options: WebhookActuatorOptions): Actuator {
  return httpActuator(webhookPreset(options));
}
