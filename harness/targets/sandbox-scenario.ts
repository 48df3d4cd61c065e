import { CARRIERS } from '../../contracts/domain/shipping.ts';
import { startWorld } from '../../sandbox/launch/world.ts';
import { type DefectName, isDefectName } from '../../sandbox/platform/defects.ts';
import type { OwnedTarget, TargetPlan } from '../../scenarios/run/target.ts';

export interface SandboxScenarioOptions {
  canaryDefect?: string;
  /** Default 'realistic' (fault multipliers act on it). */
  latency?: 'realistic' | 'none';
  seed?: number;
}

/**
 * The embedded sandbox as a scenario's target: a world of its own per run, its clock
 * anchored so the scenario's window starts once the world is up, and the router sending
 * every order to the build under test (weight 0 → stable, 100 → canary). Spoken through
 * the built-in sandbox adapter, as any target without one of its own.
 */
export function sandboxScenarioTarget(
  options: SandboxScenarioOptions = {},
): (plan: TargetPlan) => Promise<OwnedTarget> {
  const defect = options.canaryDefect ?? 'none';
  if (!isDefectName(defect)) throw new Error(`unknown defect ${defect}`);
  return async (plan) => {
    const world = await startWorld({
      speed: plan.speed,
      seed: options.seed ?? 1,
      latency: options.latency ?? 'realistic',
      canaryDefect: defect as DefectName,
      initialWeight: plan.version === 'canary' ? 100 : 0,
      anchor: {
        realStartMs: Date.now() + plan.leadMs,
        virtualStartMs: plan.virtualStartMs,
        speed: plan.speed,
      },
    });
    return {
      url: world.urls.router,
      description: `embedded sandbox (${plan.version}${defect !== 'none' ? `, canary defect ${defect}` : ''})`,
      admin: {
        token: world.config.adminToken,
        urls: {
          inventory: world.urls.inventory,
          ...Object.fromEntries(CARRIERS.map((c) => [c, world.urls.carriers[c]])),
        },
      },
      stop: () => world.stop(),
    };
  };
}
