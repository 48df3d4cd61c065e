import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shipgateError } from '../../core/errors.ts';
import type { PlatformConfig } from './config.ts';
import { compileDeclarativePlatform } from './declarative.ts';
import { checkPlatformAdapter } from './define.ts';
import { sandboxPlatform } from './sandbox.ts';
import type { PlatformAdapter } from './types.ts';

export interface ResolvePlatformOptions {
  /** Where relative module paths are resolved from: the config file's folder. */
  baseDir: string;
  /** Where `{ env }` header values are read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The adapter `target.platform` describes: the built-in sandbox adapter when absent,
 * a module's `definePlatform` export, or a compiled declarative description. Every
 * layer that talks to a target (replay, scenarios, the k6 export) calls this once.
 */
export async function resolvePlatform(
  config: PlatformConfig | undefined,
  options: ResolvePlatformOptions,
): Promise<PlatformAdapter> {
  if (!config || 'builtin' in config) return sandboxPlatform;
  if ('module' in config) {
    const file = isAbsolute(config.module) ? config.module : resolve(options.baseDir, config.module);
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw shipgateError(
        'SG_PLATFORM_ADAPTER_INVALID',
        { source: config.module, key: 'module', problem: `cannot load: ${(error as Error).message}` },
        error,
      );
    }
    return checkPlatformAdapter(loaded.default, config.module);
  }
  return compileDeclarativePlatform(config, options.env);
}
