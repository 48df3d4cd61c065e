/** Platform adapters: how shipgate's orders meet a platform's own API (see types.ts). */

export { DeclarativePlatform, PlatformConfig, ReportPaths } from './config.ts';
export { compileDeclarativePlatform } from './declarative.ts';
export { checkPlatformAdapter, checkRequest, definePlatform } from './define.ts';
export { type ResolvePlatformOptions, resolvePlatform } from './resolve.ts';
export { reportOfSandboxState, SANDBOX_LOOKUP_BATCH, sandboxPlatform } from './sandbox.ts';
export type * from './types.ts';
