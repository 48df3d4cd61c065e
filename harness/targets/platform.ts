import { dirname } from 'node:path';
import { resolvePlatform } from '../../scenarios/platform/resolve.ts';
import type { PlatformAdapter } from '../../scenarios/platform/types.ts';
import type { LoadedConfig } from '../config/load.ts';

/**
 * The adapter of the config's `target.platform` (declarative, a module resolved from the
 * config file's folder), or undefined when the config names none: the layers then speak
 * the sandbox's API through the built-in adapter.
 */
export async function configuredPlatform(loaded: LoadedConfig): Promise<PlatformAdapter | undefined> {
  const platform = loaded.config.target?.platform;
  if (!platform) return undefined;
  return resolvePlatform(platform, {
    baseDir: loaded.file ? dirname(loaded.file) : process.cwd(),
  });
}
