import { shipgateError } from '../../core/errors.ts';
import type { FaultTarget } from '../catalogue/scenario.ts';
import type { PlatformAdapter } from '../platform/types.ts';
import type { ScenarioTarget } from './target.ts';

/**
 * A platform target from command-line flags: its URL, its adapter (from the config's
 * `target.platform`; the sandbox's built-in one by default), fault targets' admin URLs
 * as service=url with the token from SHIPGATE_ADMIN_TOKEN (never a flag: it would land
 * in shell history).
 */
export function targetFromFlags(flags: {
  target?: string;
  admin: string[];
  allowHost: string[];
  platform?: PlatformAdapter;
}): ScenarioTarget {
  const url = flags.target!;
  const urls: Partial<Record<FaultTarget, string>> = {};
  for (const pair of flags.admin) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw shipgateError('SG_USAGE', { message: `--admin takes service=url, got "${pair}"` });
    urls[pair.slice(0, eq) as FaultTarget] = pair.slice(eq + 1);
  }
  const token = process.env.SHIPGATE_ADMIN_TOKEN ?? '';
  if (Object.keys(urls).length && !token)
    throw shipgateError('SG_CANARY_TOKEN_MISSING', {
      variable: 'SHIPGATE_ADMIN_TOKEN',
      what: 'fault injection through --admin',
    });
  return {
    url,
    description: `${flags.platform ? `${flags.platform.name} at ` : ''}${new URL(url).origin}`,
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(Object.keys(urls).length ? { admin: { urls, token } } : {}),
    allowHosts: flags.allowHost,
  };
}
