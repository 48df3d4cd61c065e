import type { Actuator } from '../../../canary/actuators/actuator.ts';
import { createActuator } from '../../../canary/actuators/create.ts';
import type { RolloutConfig } from '../../../canary/controller/config.ts';
import { createSource } from '../../../canary/sources/create.ts';
import type { MetricSource } from '../../../canary/sources/source.ts';
import { shipgateError } from '../../../core/errors.ts';

/**
 * `shipgate canary` flags → the canary runner's options: the metric source, the
 * actuator (canary/actuators/create.ts, the gate's factory too) and the rollout settings.
 * The flags themselves are declared in commands/canary.ts.
 */

export interface SourceFlags {
  prometheus?: string;
  scrape?: string[];
}

/** The actuators flags can describe; the `http` one is described in the config (gate). */
export const FLAG_ACTUATORS = ['router', 'webhook', 'argo'] as const;

export interface ActuatorFlags {
  actuator: (typeof FLAG_ACTUATORS)[number];
  router?: string;
  webhook?: string;
  rollout?: string;
  namespace?: string;
}

export interface RolloutFlags {
  steps?: number[];
  interval?: number;
  minStep?: number;
  minSamples?: number;
  maxDuration?: number;
  alpha?: number;
}

export function sourceFrom(flags: SourceFlags): { source: MetricSource; name: string } {
  if (flags.prometheus && flags.scrape?.length) {
    throw shipgateError('SG_USAGE', { message: 'give either --prometheus or --scrape, not both' });
  }
  if (flags.prometheus) {
    const bearerToken = process.env.SHIPGATE_PROMETHEUS_TOKEN || undefined;
    return {
      source: createSource({
        kind: 'prometheus',
        url: flags.prometheus,
        ...(bearerToken ? { bearerToken } : {}),
      }),
      name: `prometheus ${flags.prometheus}`,
    };
  }
  if (flags.scrape?.length)
    return {
      source: createSource({ kind: 'direct-scrape', endpoints: flags.scrape }),
      name: 'direct-scrape',
    };
  throw shipgateError('SG_USAGE', {
    message: 'a metric source is needed: --prometheus URL or --scrape URL (repeatable)',
  });
}

export function requiredToken(variable: string, what: string): string {
  const value = process.env[variable];
  if (!value) throw shipgateError('SG_CANARY_TOKEN_MISSING', { variable, what });
  return value;
}

const TOKEN_ENV = {
  router: 'SHIPGATE_ADMIN_TOKEN',
  webhook: 'SHIPGATE_WEBHOOK_TOKEN',
  argo: undefined,
} as const;
const URL_FLAG = { router: '--router', webhook: '--webhook', argo: undefined } as const;

/** The actuator the flags name; the webhook tells its receiver the run's id. */
export function actuatorFrom(flags: ActuatorFlags, runId: string): Actuator {
  const tokenEnv = TOKEN_ENV[flags.actuator];
  return createActuator(
    {
      kind: flags.actuator,
      ...(flags.actuator === 'router' && flags.router ? { url: flags.router } : {}),
      ...(flags.actuator === 'webhook' && flags.webhook ? { url: flags.webhook } : {}),
      ...(tokenEnv ? { tokenEnv, token: process.env[tokenEnv] || undefined } : {}),
      ...(flags.rollout ? { rollout: flags.rollout } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      rolloutId: runId,
    },
    {
      missing: (setting) => {
        const flag = setting === 'rollout' ? '--rollout NAME' : `${URL_FLAG[flags.actuator]} URL`;
        throw shipgateError('SG_USAGE', { message: `${flag} is needed with --actuator ${flags.actuator}` });
      },
    },
  );
}

export function rolloutFrom(flags: RolloutFlags): Partial<RolloutConfig> {
  return {
    ...(flags.steps ? { steps: flags.steps } : {}),
    ...(flags.interval ? { intervalMs: flags.interval } : {}),
    ...(flags.minStep !== undefined ? { minStepMs: flags.minStep } : {}),
    ...(flags.minSamples !== undefined ? { minStepSamples: flags.minSamples } : {}),
    ...(flags.maxDuration ? { maxTotalMs: flags.maxDuration } : {}),
    judge: flags.alpha ? { alpha: flags.alpha } : {},
  };
}
