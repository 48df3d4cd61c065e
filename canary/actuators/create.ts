import Type from 'typebox';
import { shipgateError } from '../../core/errors.ts';
import { type Actuator, type RetryPolicy, withRetries } from './actuator.ts';
import { argoActuator } from './argo.ts';
import { HTTP_METHODS, type HttpActuatorSpec, type HttpRequestSpec, httpActuator } from './http.ts';
import { routerActuator } from './router.ts';
import { webhookActuator } from './webhook.ts';

/**
 * The one place actuators are built (beside sources/create.ts for metric sources), for
 * `shipgate canary run` and the gate's canary layer alike. The caller resolves secrets
 * (from the environment) and says how a missing setting is named to its user (a flag
 * or a config key); every actuator comes back wrapped in `withRetries`.
 */
export const ACTUATOR_KINDS = ['router', 'webhook', 'argo', 'http'] as const;
export type ActuatorKind = (typeof ACTUATOR_KINDS)[number];

/** The `http` actuator's part of the config, as a schema the config loader embeds. */
const HttpRequestConfig = Type.Object(
  {
    method: Type.Enum(HTTP_METHODS),
    // The host may come from the environment too (a per-run URL): `{{env.ROUTER_URL}}/split`.
    url: Type.String({
      pattern: '^(https?://|\\{\\{\\s*env\\.[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\})',
      description: 'an http(s) URL, or one starting with {{env.NAME}}; may hold {{weight}}, {{rolloutId}}',
    }),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ description: 'secrets as {{env.NAME}}' })),
    ),
    body: Type.Optional(Type.String({ description: 'JSON with {{weight}}, {{action}}, {{rolloutId}}' })),
    expectStatus: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export const HttpRequestsConfig = Type.Object(
  {
    setWeight: HttpRequestConfig,
    promote: HttpRequestConfig,
    rollback: HttpRequestConfig,
    state: Type.Optional(HttpRequestConfig),
  },
  { additionalProperties: false },
);
export const HttpAnswerConfig = Type.Object(
  { weight: Type.Optional(Type.String()), phase: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export interface ActuatorSpec {
  kind: ActuatorKind;
  /** router, webhook: the base URL (router) or the URL every action is POSTed to (webhook). */
  url?: string;
  /** router, webhook: the bearer token, already read from `tokenEnv`. */
  token?: string;
  /** The environment variable the token comes from, named when it is missing. */
  tokenEnv?: string;
  /** webhook: sent with every call so the receiver can tell rollouts apart (the run id). */
  rolloutId?: string;
  /** argo: the Rollout's name and namespace. */
  rollout?: string;
  namespace?: string;
  /** http: the router's API as one request per action (`{{env.NAME}}` in headers and URLs reads a secret). */
  requests?: {
    setWeight?: HttpRequestSpec;
    promote?: HttpRequestSpec;
    rollback?: HttpRequestSpec;
    state?: HttpRequestSpec;
  };
  /** http: dot paths of the weight and phase in the router's JSON answer. */
  answer?: HttpActuatorSpec['answer'];
  /** Where `{{env.NAME}}` is read from (process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface CreateActuatorOptions {
  retry?: Partial<RetryPolicy>;
  /** Throws the caller's error for a required setting that is missing ("url", "rollout"). */
  missing: (
    setting: 'url' | 'rollout' | `requests.${'setWeight' | 'promote' | 'rollback'}`,
    kind: ActuatorKind,
  ) => never;
}

export function createActuator(spec: ActuatorSpec, options: CreateActuatorOptions): Actuator {
  const token = () => {
    if (spec.token) return spec.token;
    throw shipgateError('SG_CANARY_TOKEN_MISSING', {
      variable: spec.tokenEnv ?? '(no variable configured)',
      what: `the ${spec.kind} actuator`,
    });
  };
  const url = () => spec.url ?? options.missing('url', spec.kind);
  const actuator =
    spec.kind === 'router'
      ? routerActuator({ url: url(), token: token() })
      : spec.kind === 'webhook'
        ? webhookActuator({
            url: url(),
            token: token(),
            ...(spec.rolloutId ? { rolloutId: spec.rolloutId } : {}),
          })
        : spec.kind === 'http'
          ? httpActuator(httpSpec(spec, options))
          : argoActuator({
              rollout: spec.rollout ?? options.missing('rollout', spec.kind),
              ...(spec.namespace ? { namespace: spec.namespace } : {}),
            });
  return withRetries(actuator, options.retry);
}

/** Reads `{{env.NAME}}` from the environment; an unset variable is named, its value never is. */
function withSecrets(text: string, spec: ActuatorSpec): string {
  return text.replace(/\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const value = spec.env?.[name];
    if (!value) throw shipgateError('SG_CANARY_TOKEN_MISSING', { variable: name, what: 'the http actuator' });
    return value;
  });
}

function httpSpec(spec: ActuatorSpec, options: CreateActuatorOptions): HttpActuatorSpec {
  const resolve = (req: HttpRequestSpec): HttpRequestSpec => ({
    ...req,
    url: withSecrets(req.url, spec),
    ...(req.headers
      ? {
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, withSecrets(v, spec)])),
        }
      : {}),
  });
  const required = (action: 'setWeight' | 'promote' | 'rollback') =>
    resolve(spec.requests?.[action] ?? options.missing(`requests.${action}`, 'http'));
  const setWeight = required('setWeight');
  let host = spec.requests?.setWeight?.url ?? '';
  try {
    host = new URL(setWeight.url).origin;
  } catch {
    // reported by the first call
  }
  return {
    name: `http router ${host}`,
    setWeight,
    promote: required('promote'),
    rollback: required('rollback'),
    ...(spec.requests?.state ? { state: resolve(spec.requests.state) } : {}),
    ...(spec.answer ? { answer: spec.answer } : {}),
    ...(spec.rolloutId ? { rolloutId: spec.rolloutId } : {}),
  };
}
