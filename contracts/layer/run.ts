import { resolve } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import type { Check, ContractFailure, ContractsLayer } from '../../core/report/model.ts';
import { type BrokerConfig, createBrokerClient, describeBroker } from '../broker/index.ts';
import { type GenerativeResult, runGenerativeChecks } from '../generative/check.ts';
import { type PactSummary, readPactFolder } from '../pact/read.ts';
import { type ConsumerRunResult, DEFAULT_PACT_DIR, runConsumerSpecs } from '../pact/run.ts';
import type { ProviderName } from '../pact/types.ts';
import { verifyProvidersIsolated } from '../verify/isolated.ts';
import {
  type BrokerVerification,
  type ProviderTarget,
  type ProviderVerification,
  verifyProviders,
} from '../verify/verify.ts';
import { type CanIDeployQuestion, canIDeployCheck } from './can-i-deploy.ts';
import { clientOptionsForDefect } from './defects.ts';
import { contractsSection, generativeCheck } from './section.ts';

export type ContractsMode = 'test' | 'verify' | 'all' | 'can-i-deploy';

export interface ContractsLayerOptions {
  /**
   * test: the sandbox platform's consumer specs (write pacts); verify: provider
   * verification of every pact in `pactDir` (or from the broker); all: both;
   * can-i-deploy: only the `canIDeploy` questions.
   */
  mode?: ContractsMode;
  /** Pact folder (default `.shipgate/pacts`). */
  pactDir?: string;
  /** A canary defect whose client behaviour the consumer specs exercise (e.g. `unit-mismatch`). */
  defect?: string;
  /** Only these providers (default: all). */
  providers?: string[];
  /**
   * Where the providers run (verify and all). The layer is handed running providers and
   * never starts one: the harness starts the sandbox's when the target is the sandbox.
   */
  targets?: ProviderTarget[];
  /** Verify pacts from a Pact Broker and publish the results there. */
  broker?: BrokerVerification;
  /**
   * Run Pact's verifier in a child process and send its console output to this file
   * (recommended for CLIs: the native verifier writes to stdout directly).
   */
  verifierLog?: string;
  /** Also run the generative checks with this many runs per provider (0 or absent: off). */
  generativeRuns?: number;
  /** Seed of the generative checks (default: time-based, printed in the evidence). */
  generativeSeed?: number;
  /** After passing consumer specs, publish the pacts to this broker for this consumer version. */
  publish?: { broker: BrokerConfig; pacticipant: string; version: string; branch?: string };
  /** After verification, ask the broker whether each of these pacticipant versions may be deployed. */
  canIDeploy?: { broker: BrokerConfig; questions: CanIDeployQuestion[] };
}

export interface ContractsLayerResult {
  section: ContractsLayer;
  pactDir: string;
  consumer?: ConsumerRunResult;
  verification?: ProviderVerification[];
  generative?: GenerativeResult[];
  /** The broker's notices when the pacts were published. */
  published?: { version: string; notices: unknown };
}

/**
 * The contracts layer: the platform's consumer specs against Pact mocks (writing pacts),
 * then every pact verified against the running providers. Returns the report section;
 * its status is `fail` on any broken contract, `inconclusive` when a provider could not
 * be verified at all (no pacts, unreachable), `pass` otherwise.
 */
export async function runContractsLayer(options: ContractsLayerOptions = {}): Promise<ContractsLayerResult> {
  const mode = options.mode ?? 'all';
  const pactDir = resolve(options.pactDir ?? DEFAULT_PACT_DIR);
  const startedAt = new Date();
  let consumer: ConsumerRunResult | undefined;
  let verification: ProviderVerification[] | undefined;
  let generative: GenerativeResult[] | undefined;

  const extraChecks: Check[] = [];
  const extraFailures: ContractFailure[] = [];
  let verified: PactSummary[] = [];

  if (mode === 'test' || mode === 'all') {
    consumer = await runConsumerSpecs({
      pactDir,
      providers: options.providers as ProviderName[] | undefined,
      clientOptions: clientOptionsForDefect(options.defect),
    });
  }
  if (mode === 'verify' || mode === 'all') {
    const targets = options.targets;
    if (!targets) throw new TypeError(`contracts ${mode} needs the providers' targets`);
    const wanted = options.providers
      ? targets.filter((t) => options.providers?.includes(t.provider))
      : targets;
    if (!options.broker) {
      const pacts = readPactFolder(pactDir);
      verified = pacts.filter((p) => wanted.some((t) => t.provider === p.provider));
      extraChecks.push(...pacts.filter((p) => !verified.includes(p)).map(unverifiedPactCheck));
    }
    const verifyOptions = { pactDir, targets: wanted, broker: options.broker };
    verification = options.verifierLog
      ? await verifyProvidersIsolated(verifyOptions, options.verifierLog)
      : await verifyProviders(verifyOptions);
    if (options.generativeRuns) {
      generative = await runGenerativeChecks({
        targets: wanted,
        runs: options.generativeRuns,
        seed: options.generativeSeed,
      });
    }
  }
  extraChecks.push(...(generative?.map(generativeCheck) ?? []));
  for (const question of options.canIDeploy?.questions ?? []) {
    const answer = await canIDeployCheck(options.canIDeploy!.broker, question);
    extraChecks.push(answer.check);
    extraFailures.push(...answer.failures);
  }
  const finishedAt = new Date();
  const pactFiles = [
    ...(consumer?.pacts ?? []),
    ...verified
      .filter((p) => !consumer?.pacts.some((c) => c.file === p.file))
      .map((p) => ({ ...p, interactions: p.interactions.length })),
  ];
  const section = contractsSection({
    consumer,
    verification,
    extraChecks,
    extraFailures,
    pactFiles: pactFiles.length
      ? pactFiles.map((p) => ({
          consumer: p.consumer,
          provider: p.provider,
          interactions: p.interactions,
          file: p.file,
        }))
      : undefined,
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    },
  });
  const published =
    options.publish && section.status === 'pass' ? await publish(options.publish, consumer) : undefined;
  if (published)
    section.summary += ` Pacts published to ${describeBroker(options.publish!.broker)} for version ${published.version}.`;
  return {
    section,
    pactDir,
    consumer,
    verification,
    ...(generative ? { generative } : {}),
    ...(published ? { published } : {}),
  };
}

/** A pact in the folder whose provider has no target: listed, not verified, not a failure. */
function unverifiedPactCheck(pact: PactSummary): Check {
  return {
    id: `contracts/verify/${pact.provider}/unconfigured/${pact.consumer}`,
    layer: 'contracts',
    title: `${pact.consumer} → ${pact.provider}: not verified`,
    status: 'skipped',
    message: `The pact of ${pact.consumer} with ${pact.provider} (${pact.file}) was not verified: no target is configured for provider ${pact.provider}.`,
    evidence: { details: { consumer: pact.consumer, provider: pact.provider, file: pact.file } },
  };
}

async function publish(
  target: NonNullable<ContractsLayerOptions['publish']>,
  consumer: ConsumerRunResult | undefined,
): Promise<ContractsLayerResult['published']> {
  try {
    const answer = await createBrokerClient(target.broker).publishPacts({
      pacticipant: target.pacticipant,
      version: target.version,
      branch: target.branch,
      pactFiles: consumer?.pacts.map((p) => p.file) ?? [],
    });
    return { version: target.version, notices: answer.notices };
  } catch (error) {
    throw shipgateError('SG_BROKER_FAILED', {
      broker: describeBroker(target.broker),
      reason: (error as Error).message,
    });
  }
}
