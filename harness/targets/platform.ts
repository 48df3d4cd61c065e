import { resolvePlatform } from '../../scenarios/platform/resolve.ts';
import type { PlatformAdapter } from '../../scenarios/platform/types.ts';
import type { ResolvedConfig } from '../config/resolve.ts';

/**
 * The adapter a config's `target.platform` describes (declarative, or a module, its path
 * resolved against the config file's folder when the config loads); the sandbox's built-in one for a sandbox target or a
 * platform target that names none. One place for the commands that read a config
 * without starting the gate's target (replay, scenario run, scenario export).
 */
export function configuredPlatform(resolved: ResolvedConfig): Promise<PlatformAdapter> {
  const target = resolved.target;
  // A module path is already absolute: loadConfig resolves it against the config's folder.
  return resolvePlatform(target.kind === 'urls' ? target.platform : undefined, { baseDir: process.cwd() });
}
