import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Actuator } from '../../../canary/actuators/actuator.ts';
import { createActuator } from '../../../canary/actuators/create.ts';
import { parseDuration, parseSteps, type RolloutConfig } from '../../../canary/controller/config.ts';
import { createSource } from '../../../canary/sources/create.ts';
import type { MetricSource } from '../../../canary/sources/source.ts';
import { shipgateError } from '../../../core/errors.ts';

/**
 * `shipgate canary` flags → the canary runner's options: the metric source, the
 * actuator (canary/actuators/create.ts, the gate's factory too) and the rollout settings.
 */

export interface SourceFlags {
  prometheus?: string;
  scrape?: string[];
}

/** The actuators flags can describe; the `http` one is described in the config (gate). */
const FLAG_ACTUATORS = ['router', 'webhook', 'argo'] as const;

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

const invalid = (flag: string, parse: (value: string) => number | number[]) => (value: string) => {
  try {
    return parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: ${(error as Error).message}`);
  }
};
export const duration = (flag: string) => invalid(flag, parseDuration);
export const number = (flag: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${flag} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
export const alphaOption = (what = 'false-rollback bound') =>
  new Option('--alpha <p>', what).argParser(number('--alpha', 1e-9, 0.5));

export function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--prometheus <url>',
      'Prometheus (or Thanos, Mimir) base URL; token from SHIPGATE_PROMETHEUS_TOKEN',
    )
    .option(
      '--scrape <url>',
      'scrape this /metrics endpoint directly (repeatable); the default without Prometheus',
      collect,
    );
}

export function addRolloutOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--actuator <kind>', 'what moves traffic').choices(FLAG_ACTUATORS).default('router'),
    )
    .option('--router <url>', 'the sandbox traffic router (admin token from SHIPGATE_ADMIN_TOKEN)')
    .option('--webhook <url>', 'generic webhook actuator URL (token from SHIPGATE_WEBHOOK_TOKEN)')
    .option('--rollout <name>', 'Argo Rollouts rollout name (--actuator argo)')
    .option('--namespace <ns>', 'Kubernetes namespace (--actuator argo)')
    .option('--canary-url <url>', "the canary platform's base URL, for the blast radius after a rollback")
    .option('--steps <list>', 'canary weights in percent, e.g. 1,5,25,50,100', invalid('--steps', parseSteps))
    .option('--interval <duration>', 'time between analyses, e.g. 10s', duration('--interval'))
    .option('--min-step <duration>', 'minimum time per step, e.g. 5m', duration('--min-step'))
    .option('--min-samples <n>', 'minimum canary orders per step', number('--min-samples', 0, 1e9))
    .option(
      '--max-duration <duration>',
      'roll back if not promoted within this, e.g. 4h',
      duration('--max-duration'),
    )
    .addOption(alphaOption('false-rollback bound of the sequential judge'));
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
