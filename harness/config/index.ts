/** `import { defineConfig } from 'shipgate/config'` in a user's shipgate.config.ts. */
export { defineConfig } from './define.ts';
export { type GateLayer, LAYER_NAMES } from './layers.ts';
export { CONFIG_FILES, type LoadedConfig, loadConfig, validateConfig } from './load.ts';
export { type ResolvedConfig, resolveConfig } from './resolve.ts';
export { type ShipgateConfig, ShipgateConfigSchema } from './schema.ts';
export { STARTER_CONFIG, writeStarterConfig } from './starter.ts';
