import { createSource } from '../../canary/sources/create.ts';
import { shipgateError } from '../../core/errors.ts';
import type { FaultTarget } from '../catalogue/scenario.ts';
import type { ScenarioTarget } from './target.ts';

/**
 * A platform target from command-line flags: metrics from Prometheus or a direct
 * scrape (default TARGET/metrics), fault targets' admin URLs as service=url with the
 * token from SHIPGATE_ADMIN_TOKEN (never a flag: it would land in shell history).
 */
export function targetFromFlags(flags: {
  target?: string;
  prometheus?: string;
  scrape: string[];
  admin: string[];
  allowHost: string[];
}): ScenarioTarget {
  const url = flags.target!;
  if (flags.prometheus && flags.scrape.length)
    throw shipgateError('SG_USAGE', { message: 'give either --prometheus or --scrape, not both' });
  const source = flags.prometheus
    ? createSource({ kind: 'prometheus', url: flags.prometheus })
    : createSource({
        kind: 'direct-scrape',
        endpoints: flags.scrape.length ? flags.scrape : [`${new URL(url).origin}/metrics`],
      });
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
    description: new URL(url).origin,
    source,
    ...(Object.keys(urls).length ? { admin: { urls, token } } : {}),
    allowHosts: flags.allowHost,
    ...(flags.prometheus ? { finalScrapeDelayMs: 20_000 } : {}),
  };
}
