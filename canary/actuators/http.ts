import { request } from 'undici';
import {
  type Actuator,
  type ActuatorOp,
  type ActuatorPhase,
  type ActuatorState,
  PermanentActuatorError,
} from './actuator.ts';

/**
 * A router described as requests: per action (set weight, promote, roll back, and
 * optionally read the state) a method, URL, headers, body template and the statuses
 * that mean "done", plus where the answer says the weight and phase. Any router with an
 * HTTP API can be driven without code; the sandbox router and the generic webhook are
 * presets of it (router.ts, webhook.ts). One attempt per call: wrap it in `withRetries`.
 *
 * Templates: `{{weight}}`, `{{action}}` and `{{rolloutId}}` are replaced in the URL and
 * the body (in a body, as JSON values: a number, a quoted string, or null). Secrets are
 * resolved by the caller before they get here (actuators/create.ts reads `{{env.NAME}}`).
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface HttpRequestSpec {
  method: (typeof HTTP_METHODS)[number];
  url: string;
  headers?: Record<string, string>;
  /** Sent as application/json, e.g. `{"weight": {{weight}}}`. */
  body?: string;
  /** Statuses that mean the action is done; default any 2xx. */
  expectStatus?: readonly number[];
}

export interface HttpActuatorSpec {
  /** For journal and messages (never a secret), e.g. "router https://router.example.com". */
  name: string;
  setWeight: HttpRequestSpec;
  promote: HttpRequestSpec;
  rollback: HttpRequestSpec;
  /** Without it, the state is the last one an action reported (or implied). */
  state?: HttpRequestSpec;
  /** Dot paths into a JSON answer, e.g. "canaryWeight", "status.phase". */
  answer?: { weight?: string; phase?: string };
  /**
   * Refuse an answer that contradicts the action (another weight after set weight, a
   * phase other than promoted / rolled_back): the router did not do what was asked.
   */
  confirm?: boolean;
  rolloutId?: string;
  timeoutMs?: number;
}

const PHASES: readonly ActuatorPhase[] = ['stable', 'progressing', 'promoted', 'rolled_back', 'unknown'];
const ACTION: Record<
  ActuatorOp,
  keyof Pick<HttpActuatorSpec, 'setWeight' | 'promote' | 'rollback' | 'state'>
> = {
  'set-weight': 'setWeight',
  promote: 'promote',
  rollback: 'rollback',
  state: 'state',
};

function fill(template: string, values: Record<string, string | number | null>, json: boolean): string {
  return template.replace(/\{\{\s*(weight|action|rolloutId)\s*\}\}/g, (_, key: string) => {
    const value = values[key] ?? null;
    if (json) return JSON.stringify(value);
    return value === null ? '' : encodeURIComponent(String(value));
  });
}

function at(value: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as never)[key] : undefined), value);
}

/** What an action implies when the answer does not say (the webhook's contract). */
function implied(op: ActuatorOp, weight: number | undefined, known: ActuatorState): ActuatorState {
  if (op === 'set-weight') return { weight: weight ?? null, phase: 'progressing' };
  if (op === 'promote') return { weight: 100, phase: 'promoted' };
  if (op === 'rollback') return { weight: 0, phase: 'rolled_back' };
  return known;
}

export function httpActuator(spec: HttpActuatorSpec): Actuator {
  const timeout = spec.timeoutMs ?? 10_000;
  let known: ActuatorState = { weight: null, phase: 'unknown' };
  const call = async (op: ActuatorOp, weight?: number): Promise<ActuatorState> => {
    const req = spec[ACTION[op]];
    if (!req) return known;
    const values = { weight: weight ?? null, action: op, rolloutId: spec.rolloutId ?? null };
    const url = fill(req.url, values, false);
    const what = `${req.method} ${new URL(url).pathname}`;
    const response = await request(url, {
      method: req.method,
      headers: { ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
      body: req.body === undefined ? undefined : fill(req.body, values, true),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    const status = response.statusCode;
    if (status === 401 || status === 403)
      throw new PermanentActuatorError(`${what} answered ${status}: the token was refused`);
    const expected = req.expectStatus ? req.expectStatus.includes(status) : status >= 200 && status < 300;
    if (!expected) throw new Error(`${what} answered ${status}: ${text.slice(0, 200)}`);
    let answer: unknown;
    try {
      answer = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      answer = undefined;
    }
    const fallback = implied(op, weight, known);
    const w = at(answer, spec.answer?.weight);
    const p = at(answer, spec.answer?.phase);
    const state: ActuatorState = {
      weight: typeof w === 'number' ? w : fallback.weight,
      phase:
        typeof p === 'string' && PHASES.includes(p as ActuatorPhase) ? (p as ActuatorPhase) : fallback.phase,
      ...(typeof (answer as { revision?: unknown })?.revision === 'number'
        ? { revision: (answer as { revision: number }).revision }
        : {}),
    };
    if (spec.confirm) confirm(op, weight, state, what, answer, spec);
    known = state;
    return state;
  };
  return {
    name: spec.name,
    setWeight: (weight) => call('set-weight', weight),
    promote: () => call('promote'),
    rollback: () => call('rollback'),
    state: () => call('state'),
  };
}

function confirm(
  op: ActuatorOp,
  weight: number | undefined,
  state: ActuatorState,
  what: string,
  answer: unknown,
  spec: HttpActuatorSpec,
): void {
  const says = (path: string | undefined) => path !== undefined && at(answer, path) !== undefined;
  if (spec.answer && !(says(spec.answer.weight) && says(spec.answer.phase)))
    throw new Error(`${what} answered without ${spec.answer.weight}/${spec.answer.phase}`);
  if (op === 'set-weight' && state.weight !== weight)
    throw new Error(`set weight: the router reports ${state.weight}%, expected ${weight}%`);
  const want = op === 'promote' ? 'promoted' : op === 'rollback' ? 'rolled_back' : undefined;
  if (want && state.phase !== want)
    throw new Error(`${op}: the router reports phase ${state.phase}, expected ${want}`);
}
