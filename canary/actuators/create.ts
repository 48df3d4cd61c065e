import { shipgateError } from '../../core/errors.ts';
import { type Actuator, type RetryPolicy, withRetries } from './actuator.ts';
import { argoActuator } from './argo.ts';
import { routerActuator } from './router.ts';
import { webhookActuator } from './webhook.ts';

/**
 * The one place actuators are built (beside sources/create.ts for metric sources), for
 * `shipgate canary run` and the gate's canary layer alike. The caller resolves secrets
 * (from the environment) and says how a missing setting is named to its user (a flag
 * or a config key); every actuator comes back wrapped in `withRetries`.
 */
export const ACTUATOR_KINDS = ['router', 'webhook', 'argo'] as const;
export type ActuatorKind = (typeof ACTUATOR_KINDS)[number];

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
}

export interface CreateActuatorOptions {
  retry?: Partial<RetryPolicy>;
  /** Throws the caller's error for a required setting that is missing ("url", "rollout"). */
  missing: (setting: 'url' | 'rollout', kind: ActuatorKind) => never;
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
        : argoActuator({
            rollout: spec.rollout ?? options.missing('rollout', spec.kind),
            ...(spec.namespace ? { namespace: spec.namespace } : {}),
          });
  return withRetries(actuator, options.retry);
}
