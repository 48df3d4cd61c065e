import { CARRIERS } from '../../contracts/domain/shipping.ts';
import type { ScenarioTarget } from '../../scenarios/run/target.ts';

/**
 * The embedded default target: the in-process sandbox world, with the router sending
 * every order to the build under test (weight 0 → stable, 100 → canary). Imported
 * lazily so scenarios/ only reaches into sandbox when no target is given.
 */
export interface SandboxTarget extends ScenarioTarget {
  stop(): Promise<void>;
}

export async function startSandboxTarget(options: {
  speed: number;
  version: 'stable' | 'canary';
  canaryDefect?: string;
  latency?: 'realistic' | 'none';
  /** Virtual epoch ms the clock shows at real time `realStartMs`. */
  virtualStartMs: number;
  /**
   * Real ms from when the world starts starting until the clock shows `virtualStartMs`:
   * time for the world to come up, so the first order goes out when the clock shows its
   * time (no shift of the orders' times of day relative to the cutoff).
   */
  leadMs: number;
  seed?: number;
}): Promise<SandboxTarget> {
  const [{ startWorld }, { DirectScrapeSource }, { isDefectName }] = await Promise.all([
    import('../../sandbox/launch/world.ts'),
    import('../../canary/sources/direct-scrape.ts'),
    import('../../sandbox/platform/defects.ts'),
  ]);
  const defect = options.canaryDefect ?? 'none';
  if (!isDefectName(defect)) throw new Error(`unknown defect ${defect}`);
  const world = await startWorld({
    speed: options.speed,
    seed: options.seed ?? 1,
    latency: options.latency ?? 'realistic',
    canaryDefect: defect,
    initialWeight: options.version === 'canary' ? 100 : 0,
    anchor: {
      realStartMs: Date.now() + options.leadMs,
      virtualStartMs: options.virtualStartMs,
      speed: options.speed,
    },
  });
  return {
    url: world.urls.router,
    description: `embedded sandbox (${options.version}${defect !== 'none' ? `, canary defect ${defect}` : ''})`,
    source: new DirectScrapeSource({ endpoints: world.metricsTargets }),
    admin: {
      token: world.config.adminToken,
      urls: {
        inventory: world.urls.inventory,
        ...Object.fromEntries(CARRIERS.map((c) => [c, world.urls.carriers[c]])),
      },
    },
    stop: () => world.stop(),
  };
}
