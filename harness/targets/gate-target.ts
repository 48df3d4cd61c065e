import type { VirtualClock } from '../../sandbox/clock/clock.ts';
import { startWorld } from '../../sandbox/launch/world.ts';
import { resolvePlatform } from '../../scenarios/platform/resolve.ts';
import type { PlatformAdapter } from '../../scenarios/platform/types.ts';
import type { ResolvedConfig } from '../config/resolve.ts';

/**
 * Where the gate runs, started once and shared by the layers: the embedded sandbox
 * world (stable, canary with its defect, router, carriers, inventory, all in-process)
 * or the URLs of a platform the user runs.
 */
export interface GateTarget {
  kind: 'sandbox' | 'urls';
  description: string;
  router?: string;
  stable: string;
  canary: string;
  /** /metrics endpoints for the direct-scrape source. */
  metrics: string[];
  /** How the platform's order API is spoken: `target.platform`, the sandbox's by default. */
  platform: PlatformAdapter;
  adminToken?: string;
  /** The sandbox's virtual clock (absent for a real platform: wall time). */
  clock?: VirtualClock;
  /** Sandbox only: the canary build's defect, passed to layers that start their own providers. */
  canaryDefect?: string;
  sandbox?: Extract<ResolvedConfig['target'], { kind: 'sandbox' }>;
  stop(): Promise<void>;
}

export async function startTarget(config: ResolvedConfig): Promise<GateTarget> {
  const target = config.target;
  if (target.kind === 'urls') {
    // A module path was made absolute when the config was loaded (relative to its file).
    const platform = await resolvePlatform(target.platform, { baseDir: process.cwd() });
    return {
      platform,
      kind: 'urls',
      // A canary-only gate may name no order URLs: the metrics and the router are its target.
      description: target.canary
        ? `${new URL(target.canary).origin}${target.stable ? ` (baseline ${new URL(target.stable).origin})` : ''}`
        : 'a platform you run (metrics and router only)',
      ...(target.router ? { router: target.router } : {}),
      stable: target.stable,
      canary: target.canary,
      metrics: target.metrics,
      ...(process.env[target.adminTokenEnv] ? { adminToken: process.env[target.adminTokenEnv] } : {}),
      stop: async () => {},
    };
  }
  const world = await startWorld({
    speed: target.speed,
    seed: target.seed,
    canaryDefect: target.canaryDefect,
    latency: target.latency,
    initialWeight: 0,
  });
  return {
    kind: 'sandbox',
    platform: await resolvePlatform(undefined, { baseDir: process.cwd() }),
    description: `embedded sandbox (canary defect: ${target.canaryDefect})`,
    router: world.urls.router,
    stable: world.urls.stable,
    canary: world.urls.canary,
    metrics: world.metricsTargets,
    adminToken: world.config.adminToken,
    clock: world.clock,
    canaryDefect: target.canaryDefect,
    sandbox: target,
    stop: () => world.stop(),
  };
}
