import type { ResolvedConfig } from '../../config/resolve.ts';
import type { ActuatorFlags, RolloutFlags, SourceFlags } from './canary-options.ts';

/**
 * `shipgate canary run --config FILE`: the same config as `gate` (source, actuator,
 * metrics, versions, rollout settings), with the command's flags overriding it. Pure:
 * the resolved config and the flags in, the config the canary layer runs with out.
 */
export function canaryConfigWithFlags(
  config: ResolvedConfig,
  flags: SourceFlags & Partial<ActuatorFlags> & RolloutFlags,
): ResolvedConfig {
  const k = structuredClone(config.canary);
  if (flags.prometheus) k.source = { ...k.source, kind: 'prometheus', url: flags.prometheus };
  if (flags.scrape?.length) {
    const { url: _, ...rest } = k.source;
    k.source = { ...rest, kind: 'direct-scrape', endpoints: flags.scrape };
  }
  if (flags.steps) k.steps = flags.steps;
  if (flags.interval) k.intervalMs = flags.interval;
  if (flags.minStep !== undefined) k.minStepMs = flags.minStep;
  if (flags.minSamples !== undefined) k.minStepSamples = flags.minSamples;
  if (flags.maxDuration) k.maxTotalMs = flags.maxDuration;
  if (flags.alpha) k.alpha = flags.alpha;
  const url = flags.actuator === 'webhook' ? flags.webhook : flags.router;
  if (flags.actuator && flags.actuator !== k.actuator.kind)
    k.actuator = { kind: flags.actuator, tokenEnv: k.actuator.tokenEnv };
  if (url) k.actuator.url = url;
  if (flags.rollout) k.actuator.rollout = flags.rollout;
  if (flags.namespace) k.actuator.namespace = flags.namespace;
  return { ...config, layers: ['canary'], canary: k };
}
