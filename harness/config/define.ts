import type { ShipgateConfig } from './schema.ts';

export type { GateLayer } from './layers.ts';
export type { ShipgateConfig } from './schema.ts';

/**
 * Types a shipgate.config.ts (editor completion and checking); returns it unchanged.
 * The loader validates it again at run time, since a config can be plain JS or JSON.
 */
export function defineConfig(config: ShipgateConfig): ShipgateConfig {
  return config;
}
