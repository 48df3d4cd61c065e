import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { type BrokerConfig, brokerFromEnv, describeBroker } from '../../../contracts/broker/index.ts';
import { type ContractsLayerOptions, canIDeploy, runContractsLayer } from '../../../contracts/layer/index.ts';
import { DEFAULT_PACT_DIR } from '../../../contracts/pact/run.ts';
import type { ProviderTarget } from '../../../contracts/verify/verify.ts';
import { shipgateError } from '../../../core/errors.ts';
import type { ExitCode } from '../../../core/exit-codes.ts';
import type { ContractsLayer } from '../../../core/report/model.ts';
import { decidingCheck } from '../../../core/report/verdict.ts';
import { createRunFolder, type RunFolder } from '../../../core/run/run-folder.ts';
import { DEFECT_NAMES, isDefectName } from '../../../sandbox/platform/defects.ts';
import { loadConfig } from '../../config/load.ts';
import { writeRunReport } from '../../report/run-report.ts';
import { configuredBroker, configuredTargets, flagTarget, providerTargets } from '../../targets/providers.ts';
import type {
  CanIDeployOptions,
  ContractsSubcommand,
  TestOptions,
  VerifyOptions,
} from '../commands/contracts.ts';
import { output } from '../run-command.ts';

type Options = TestOptions & VerifyOptions & CanIDeployOptions;

export interface ContractsCommandResult {
  exitCode: ExitCode;
  runDir: string;
  section: ContractsLayer;
}

/** `shipgate contracts test|verify|can-i-deploy`: usage checked, then the layer's runner, then the report. */
export async function runContractsCommand(
  sub: ContractsSubcommand,
  flags: TestOptions | VerifyOptions | CanIDeployOptions,
): Promise<ContractsCommandResult> {
  const options = flags as Options;
  const config = options.config ? (await loadConfig({ file: options.config })).resolved : undefined;
  const broker = brokerFromEnv() ?? configuredBroker(config?.contracts.broker);
  options.pactDir ??= config?.contracts.pactDir ?? DEFAULT_PACT_DIR;
  checkUsage(sub, options, broker); // before the run folder exists
  // The configured providers, their secrets read from the environment now.
  const configured = config?.contracts.providers ? configuredTargets(config.contracts.providers) : undefined;
  const startedAt = new Date();
  const run = createRunFolder(options.out ? { dir: options.out } : {});
  run.journal.append({
    type: 'contracts.started',
    command: sub,
    broker: broker ? describeBroker(broker) : null,
  });

  const { section, pactFiles, target } = await runSubcommand(sub, options, broker, run, configured);
  keepPacts(run, section, pactFiles);
  const decider = section.status === 'fail' ? undefined : decidingCheck({ layers: { contracts: section } });
  const { report, files } = writeRunReport(run, {
    command: `contracts ${sub}`,
    release: {
      name: `contracts ${sub}`,
      candidateVersion: options.version ?? options.providerVersion ?? options.defect ?? 'working tree',
      target,
    },
    startedAt,
    layers: { contracts: section },
    reason: decider?.message ?? section.summary,
  });
  const { verdict, exitCode } = report.decision;
  run.journal.append({
    type: 'contracts.finished',
    command: sub,
    verdict,
    failures: section.failures.length,
  });
  output(
    options.json,
    { verdict, exitCode, runDir: run.dir, summary: section.summary, failures: section.failures, files },
    () => human(section, run.dir, relative(process.cwd(), files.junit)),
  );
  return { exitCode: exitCode as ExitCode, runDir: run.dir, section };
}

function checkUsage(sub: ContractsSubcommand, o: Options, broker: BrokerConfig | undefined): void {
  if (sub === 'test' && o.defect && !isDefectName(o.defect))
    throw shipgateError('SG_UNKNOWN_DEFECT', { name: o.defect, known: DEFECT_NAMES.join(', ') });
  if (sub === 'verify') {
    if (o.baseUrl && !o.provider)
      throw usage('--base-url needs --provider NAME (the provider that runs there)');
    if (o.stateChangeUrl && !o.baseUrl) throw usage('--state-change-url goes with --base-url');
    if (o.baseUrl && !/^https?:\/\//.test(o.baseUrl))
      throw usage(`--base-url must be an http(s) URL, got "${o.baseUrl}"`);
    if (broker && !o.providerVersion)
      throw usage(
        'with PACT_BROKER_BASE_URL set, verify needs --provider-version (results are published for it)',
      );
  }
  if (sub === 'can-i-deploy' && broker && !o.version)
    throw usage('can-i-deploy with a broker needs --version');
}

const usage = (message: string) => shipgateError('SG_USAGE', { message });

async function runSubcommand(
  sub: ContractsSubcommand,
  o: Options,
  broker: BrokerConfig | undefined,
  run: RunFolder,
  fromConfig: ProviderTarget[] | undefined,
): Promise<{ section: ContractsLayer; pactFiles: string[]; target: string }> {
  if (sub === 'can-i-deploy' && broker) {
    const question = { pacticipant: o.pacticipant, version: o.version!, toEnvironment: o.toEnvironment };
    return { section: await canIDeploy(broker, question), pactFiles: [], target: describeBroker(broker) };
  }
  const layer: ContractsLayerOptions = { pactDir: o.pactDir!, verifierLog: run.path('verifier.log') };
  if (sub === 'test') {
    Object.assign(layer, { mode: 'test', defect: o.defect, providers: o.provider });
    if (broker && o.consumerVersion)
      layer.publish = {
        broker,
        pacticipant: 'shipgate-platform',
        version: o.consumerVersion,
        branch: o.branch,
      };
    const result = await runContractsLayer(layer);
    if (result.published) run.journal.append({ type: 'contracts.published', ...result.published });
    return { section: result.section, pactFiles: pactFilesOf(result), target: 'Pact mock servers' };
  }
  const configured = o.baseUrl
    ? [flagTarget({ ...o, provider: o.provider!, baseUrl: o.baseUrl })]
    : fromConfig;
  const providers = await providerTargets(configured, o.provider ? [o.provider] : undefined);
  try {
    if (sub === 'verify') {
      Object.assign(layer, {
        mode: 'verify',
        generativeRuns: generativeRuns(o.generative),
        providers: o.provider ? [o.provider] : undefined,
        targets: providers.targets,
      });
      if (broker)
        layer.broker = {
          brokerUrl: broker.baseUrl,
          token: broker.token,
          providerVersion: o.providerVersion!,
          providerBranch: o.providerBranch,
          includeWipPactsSince: o.includeWipSince,
          enablePending: true,
        };
      const result = await runContractsLayer(layer);
      return { section: result.section, pactFiles: [], target: o.baseUrl ?? providers.description };
    }
    // can-i-deploy without a broker: pacts and verification are local, so "can I deploy" is "do the contracts hold now".
    const result = await runContractsLayer({ ...layer, mode: 'all', targets: providers.targets });
    result.section.summary = `No Pact Broker configured (PACT_BROKER_BASE_URL): checked locally. ${result.section.summary}`;
    return { section: result.section, pactFiles: pactFilesOf(result), target: providers.description };
  } finally {
    await providers.stop();
  }
}

function pactFilesOf(result: Awaited<ReturnType<typeof runContractsLayer>>): string[] {
  return result.consumer?.pacts.map((p) => p.file) ?? [];
}

/** The pacts go into the run folder too, so the run is self-contained evidence. */
function keepPacts(run: RunFolder, section: ContractsLayer, pactFiles: string[]): void {
  if (!pactFiles.length) return;
  mkdirSync(run.path('pacts'), { recursive: true });
  for (const file of pactFiles) copyFileSync(file, run.path(`pacts/${basename(file)}`));
  section.pacts = section.pacts?.map((p) => ({
    ...p,
    file: p.file ? `pacts/${basename(p.file)}` : undefined,
  }));
}

function human(section: ContractsLayer, runDir: string, junit: string): string {
  const count = (status: string) => section.checks.filter((c) => c.status === status).length;
  const unsettled = section.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive');
  return [
    `contracts: ${section.status.toUpperCase()} — ${section.summary}`,
    ...unsettled.flatMap((check) => [`  ✗ ${check.title}`, `    ${check.message}`]),
    ...section.failures
      .slice(0, 10)
      .map(
        (f) => `  ${f.provider} · "${f.interaction}" · ${f.field}: expected ${f.expected}, got ${f.actual}`,
      ),
    `  ${count('pass')} passed, ${count('fail')} failed, ${count('inconclusive')} inconclusive`,
    `  run folder: ${runDir}${junit ? ` (JUnit: ${junit})` : ''}`,
  ].join('\n');
}

/** `--generative` alone: SHIPGATE_GENERATIVE_RUNS or 50 runs per provider; `--generative N`: N (parsed as a flag). */
function generativeRuns(option: boolean | number | undefined): number | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true) return option;
  const fromEnv = Number(process.env.SHIPGATE_GENERATIVE_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 50;
}
