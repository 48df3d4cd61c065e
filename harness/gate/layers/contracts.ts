import { runContractsLayer } from '../../../contracts/layer/index.ts';
import type { ContractsLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import { providerTargets } from '../../targets/providers.ts';
import type { GateProgress } from '../progress.ts';

/**
 * The contracts layer: the platform's consumer specs (with the canary build's client
 * behaviour, so a defect in the client shows), then provider verification — against
 * the configured base URLs, or the sandbox's providers. The native Pact verifier writes
 * to stdout, so it runs in a child process logging to verifier.log.
 */
export async function runContracts(
  config: ResolvedConfig,
  target: GateTarget,
  run: RunFolder,
  progress: GateProgress,
): Promise<ContractsLayer> {
  const c = config.contracts;
  const configured = c.baseUrls
    ? Object.entries(c.baseUrls).map(([provider, baseUrl]) => {
        const keyEnv = c.apiKeyEnv?.[provider];
        return {
          provider,
          baseUrl,
          ...(keyEnv && process.env[keyEnv] ? { apiKey: process.env[keyEnv] } : {}),
        };
      })
    : undefined;
  const broker = c.broker
    ? {
        brokerUrl: c.broker.url,
        ...(c.broker.tokenEnv && process.env[c.broker.tokenEnv]
          ? { token: process.env[c.broker.tokenEnv] }
          : {}),
        providerVersion: config.release.candidateVersion,
      }
    : undefined;
  progress(
    `contracts: consumer specs and provider verification${configured ? ' (configured base URLs)' : ' (sandbox providers)'}`,
  );
  const providers = await providerTargets(configured, c.providers);
  try {
    const result = await runContractsLayer({
      mode: 'all',
      pactDir: run.path('pacts'),
      ...(target.canaryDefect ? { defect: target.canaryDefect } : {}),
      ...(c.providers ? { providers: c.providers } : {}),
      targets: providers.targets,
      ...(broker ? { broker } : {}),
      verifierLog: run.path('verifier.log'),
    });
    return result.section;
  } finally {
    await providers.stop();
  }
}
