import type { BrokerConfig } from '../../../contracts/broker/index.ts';
import { type ContractsLayerOptions, runContractsLayer } from '../../../contracts/layer/index.ts';
import type { ContractsLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import { configuredTargets, providerTargets } from '../../targets/providers.ts';
import type { GateProgress } from '../progress.ts';

/**
 * The contracts layer of the gate. A team's own setup (`contracts.providers`): every pact
 * of `contracts.pactDir` (or the broker's) verified against the configured providers,
 * then can-i-deploy when a broker is configured. Against the sandbox (nothing configured):
 * the sandbox platform's consumer specs with the canary build's client, then verification
 * against the sandbox's providers. The native Pact verifier writes to stdout, so it runs
 * in a child process logging to verifier.log.
 */
export async function runContracts(
  config: ResolvedConfig,
  target: GateTarget,
  run: RunFolder,
  progress: GateProgress,
): Promise<ContractsLayer> {
  const c = config.contracts;
  const configured = c.providers ? configuredTargets(c.providers) : undefined;
  const b = c.broker;
  const broker: BrokerConfig | undefined = b
    ? { baseUrl: b.url, ...(b.tokenEnv && process.env[b.tokenEnv] ? { token: process.env[b.tokenEnv] } : {}) }
    : undefined;
  // Without configured providers, only the sandbox has providers to verify (its own).
  const verify = configured !== undefined || target.kind === 'sandbox';
  const layer: ContractsLayerOptions = {
    mode: c.consumerSpecs ? (verify ? 'all' : 'test') : verify ? 'verify' : 'can-i-deploy',
    // The sandbox's consumer specs write their pacts into the run folder: evidence of this run.
    pactDir: c.consumerSpecs ? run.path('pacts') : c.pactDir,
    ...(target.canaryDefect ? { defect: target.canaryDefect } : {}),
    verifierLog: run.path('verifier.log'),
  };
  if (broker && b?.verifyPacts !== false && verify)
    layer.broker = {
      brokerUrl: broker.baseUrl,
      ...(broker.token ? { token: broker.token } : {}),
      providerVersion: config.release.candidateVersion,
      ...(b?.providerBranch ? { providerBranch: b.providerBranch } : {}),
      ...(b?.includeWipSince ? { includeWipPactsSince: b.includeWipSince } : {}),
      publish: b?.publishResults ?? true,
      enablePending: true,
    };
  if (broker && b?.canIDeploy)
    layer.canIDeploy = {
      broker,
      questions: b.canIDeploy.map((q) => ({
        pacticipant: q.pacticipant,
        version: q.version ?? config.release.candidateVersion,
        toEnvironment: q.environment,
      })),
    };
  if (!verify && !c.consumerSpecs && !layer.canIDeploy) return nothingConfigured();
  progress(
    `contracts: ${[
      c.consumerSpecs ? 'consumer specs' : '',
      verify ? `provider verification (${configured ? 'configured providers' : 'sandbox providers'})` : '',
      layer.canIDeploy ? 'can-i-deploy' : '',
    ]
      .filter(Boolean)
      .join(', ')}`,
  );
  const providers = verify ? await providerTargets(configured) : undefined;
  try {
    if (providers) layer.targets = providers.targets;
    return (await runContractsLayer(layer)).section;
  } finally {
    await providers?.stop();
  }
}

function nothingConfigured(): ContractsLayer {
  const message =
    'No contract was checked: the target is not the sandbox and the config names no contracts.providers (nor a broker with canIDeploy).';
  return {
    status: 'inconclusive',
    summary: message,
    checks: [
      {
        id: 'contracts/configured',
        layer: 'contracts',
        title: 'Contracts to check are configured',
        status: 'inconclusive',
        message,
        evidence: {},
      },
    ],
    failures: [],
  };
}
