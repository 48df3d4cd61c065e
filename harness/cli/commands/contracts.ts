import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Command } from 'commander';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import type { Check, ContractsLayer } from '../../../core/report/model.ts';
import { action, output } from '../run-command.ts';

/**
 * `shipgate contracts test|verify|can-i-deploy`: the contracts layer (issue 3).
 *
 *   test          the platform's consumer specs against Pact mocks; writes the pacts
 *   verify        every pact against running providers (the sandbox by default, or
 *                 --provider NAME --base-url URL for a user's own endpoint)
 *   can-i-deploy  asks the Pact Broker (PACT_BROKER_BASE_URL / PACT_BROKER_TOKEN);
 *                 without a broker, runs test + verify locally and answers from that
 *
 * Each writes a run folder (report.json with a contracts section, report.md, report.html,
 * junit.xml, journal.jsonl, pacts/). Exit 1 on a broken contract, naming the provider,
 * the interaction, the field, expected vs actual; 3 when there is no verdict.
 */
export function registerContracts(program: Command): void {
  const contracts = program
    .command('contracts')
    .description('consumer-driven contract tests of carrier and inventory integrations');

  contracts
    .command('test')
    .description('run the platform’s consumer specs against Pact mock servers and write the pacts')
    .option('--defect <name>', 'exercise the canary build’s client with this defect (e.g. unit-mismatch)')
    .option('--pact-dir <dir>', 'where pact files are written', '.shipgate/pacts')
    .option('--provider <name...>', 'only these providers (parcelly, labelfast, steppe, inventory)')
    .option(
      '--consumer-version <v>',
      'with a broker: publish the pacts for this consumer version when they pass',
    )
    .option('--branch <branch>', 'with a broker: the consumer’s branch for the published pacts')
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(action(async (options: TestOptions) => (await runContractsCommand('test', options)).exitCode));

  contracts
    .command('verify')
    .description('verify every pact against running providers (the sandbox by default)')
    .option('--provider <name>', 'verify only this provider (required with --base-url)')
    .option(
      '--base-url <url>',
      'the provider’s base URL (e.g. a carrier’s staging endpoint) instead of the sandbox',
    )
    .option('--api-key <key>', 'the provider’s API key (default: env SHIPGATE_PROVIDER_API_KEY)')
    .option(
      '--admin-token <token>',
      'bearer token of the provider’s /admin/provider-state (default: env SHIPGATE_PROVIDER_ADMIN_TOKEN)',
    )
    .option('--pact-dir <dir>', 'where the pact files are', '.shipgate/pacts')
    .option('--provider-version <v>', 'with a broker: the provider version the results are published for')
    .option('--provider-branch <branch>', 'with a broker: the provider’s branch')
    .option(
      '--include-wip-since <date>',
      'with a broker: also verify work-in-progress pacts since YYYY-MM-DD',
    )
    .option(
      '--generative [runs]',
      'also run the generative checks (runs per provider; default SHIPGATE_GENERATIVE_RUNS or 50)',
    )
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (options: VerifyOptions) => (await runContractsCommand('verify', options)).exitCode),
    );

  contracts
    .command('record-deployment')
    .description('tell the Pact Broker that a version is now deployed to an environment')
    .requiredOption('--version <v>', 'the deployed version')
    .option('--pacticipant <name>', 'the application deployed', 'shipgate-platform')
    .option('--environment <env>', 'where it was deployed', 'production')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (options: { version: string; pacticipant: string; environment: string; json?: boolean }) => {
          const broker = await import('../../../contracts/broker/index.ts');
          const config = broker.brokerFromEnv();
          if (!config)
            throw shipgateError('SG_USAGE', {
              message:
                'record-deployment needs a Pact Broker: set PACT_BROKER_BASE_URL (and PACT_BROKER_TOKEN)',
            });
          try {
            await broker
              .createBrokerClient(config)
              .recordDeployment(options.pacticipant, options.version, options.environment);
          } catch (error) {
            throw shipgateError('SG_BROKER_FAILED', {
              broker: broker.describeBroker(config),
              reason: (error as Error).message,
            });
          }
          output(
            options.json,
            { recorded: true, ...options },
            () => `recorded ${options.pacticipant} ${options.version} as deployed to ${options.environment}`,
          );
          return ExitCode.Pass;
        },
      ),
    );

  contracts
    .command('can-i-deploy')
    .description('may this version be deployed? (Pact Broker when configured, else test + verify locally)')
    .option('--pacticipant <name>', 'the application asking', 'shipgate-platform')
    .option('--version <v>', 'its version (required with a broker)')
    .option('--to-environment <env>', 'the target environment', 'production')
    .option('--pact-dir <dir>', 'without a broker: the local pact folder', '.shipgate/pacts')
    .option('--out <run-dir>', 'run folder to write (default .shipgate/runs/<time>-<id>)')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (options: CanIDeployOptions) => (await runContractsCommand('can-i-deploy', options)).exitCode,
      ),
    );
}

interface CommonOptions {
  pactDir: string;
  out?: string;
  json?: boolean;
}
export interface TestOptions extends CommonOptions {
  defect?: string;
  provider?: string[];
  consumerVersion?: string;
  branch?: string;
}
export interface VerifyOptions extends CommonOptions {
  provider?: string;
  baseUrl?: string;
  apiKey?: string;
  adminToken?: string;
  providerVersion?: string;
  providerBranch?: string;
  includeWipSince?: string;
  generative?: boolean | string;
}
export interface CanIDeployOptions extends CommonOptions {
  pacticipant: string;
  version?: string;
  toEnvironment: string;
}

type Subcommand = 'test' | 'verify' | 'can-i-deploy';

export interface ContractsCommandResult {
  exitCode: ExitCode;
  runDir: string;
  section: ContractsLayer;
}

export async function runContractsCommand(
  sub: Subcommand,
  options: TestOptions | VerifyOptions | CanIDeployOptions,
): Promise<ContractsCommandResult> {
  const [
    layer,
    broker,
    { createRunFolder },
    { writeReports },
    verdict,
    { SCHEMA_VERSION },
    { version },
    defects,
  ] = await Promise.all([
    import('../../../contracts/layer/index.ts'),
    import('../../../contracts/broker/index.ts'),
    import('../../../core/run/run-folder.ts'),
    import('../../report/write.ts'),
    import('../../../core/report/verdict.ts'),
    import('../../../core/report/model.ts'),
    import('../../version.ts'),
    import('../../../sandbox/platform/defects.ts'),
  ]);
  const brokerConfig = broker.brokerFromEnv();
  const startedAt = new Date();

  // Usage is checked before the run folder exists.
  if (sub === 'test') {
    const { defect } = options as TestOptions;
    if (defect && !defects.isDefectName(defect)) {
      throw shipgateError('SG_UNKNOWN_DEFECT', { name: defect, known: defects.DEFECT_NAMES.join(', ') });
    }
  }
  if (sub === 'verify') {
    const o = options as VerifyOptions;
    generativeRuns(o.generative); // a bad --generative is a usage error before any work
    if (o.baseUrl && !o.provider)
      throw shipgateError('SG_USAGE', {
        message: '--base-url needs --provider NAME (the provider that runs there)',
      });
    if (o.baseUrl && !/^https?:\/\//.test(o.baseUrl))
      throw shipgateError('SG_USAGE', { message: `--base-url must be an http(s) URL, got "${o.baseUrl}"` });
    if (brokerConfig && !o.providerVersion) {
      throw shipgateError('SG_USAGE', {
        message:
          'with PACT_BROKER_BASE_URL set, verify needs --provider-version (results are published for it)',
      });
    }
  }
  if (sub === 'can-i-deploy' && brokerConfig && !(options as CanIDeployOptions).version) {
    throw shipgateError('SG_USAGE', { message: 'can-i-deploy with a broker needs --version' });
  }

  const run = createRunFolder(options.out ? { dir: options.out } : {});
  run.journal.append({
    type: 'contracts.started',
    command: sub,
    broker: brokerConfig ? broker.describeBroker(brokerConfig) : null,
  });

  let section: ContractsLayer;
  let pactFiles: string[] = [];
  if (sub === 'test') {
    const o = options as TestOptions;
    const result = await layer.runContractsLayer({
      mode: 'test',
      pactDir: o.pactDir,
      defect: o.defect,
      providers: o.provider as never,
    });
    section = result.section;
    pactFiles = result.consumer?.pacts.map((p) => p.file) ?? [];
    if (brokerConfig && o.consumerVersion && section.status === 'pass') {
      const client = broker.createBrokerClient(brokerConfig);
      try {
        const published = await client.publishPacts({
          pacticipant: 'shipgate-platform',
          version: o.consumerVersion,
          branch: o.branch,
          pactFiles,
        });
        run.journal.append({
          type: 'contracts.published',
          version: o.consumerVersion,
          notices: published.notices,
        });
        section.summary += ` Pacts published to ${broker.describeBroker(brokerConfig)} for version ${o.consumerVersion}.`;
      } catch (error) {
        throw shipgateError('SG_BROKER_FAILED', {
          broker: broker.describeBroker(brokerConfig),
          reason: (error as Error).message,
        });
      }
    }
  } else if (sub === 'verify') {
    const o = options as VerifyOptions;
    const targets = o.baseUrl
      ? [
          {
            provider: o.provider!,
            baseUrl: o.baseUrl,
            apiKey: o.apiKey ?? process.env.SHIPGATE_PROVIDER_API_KEY,
            adminToken: o.adminToken ?? process.env.SHIPGATE_PROVIDER_ADMIN_TOKEN,
          },
        ]
      : undefined;
    const result = await layer.runContractsLayer({
      mode: 'verify',
      verifierLog: run.path('verifier.log'),
      generativeRuns: generativeRuns(o.generative),
      pactDir: o.pactDir,
      providers: o.provider ? ([o.provider] as never) : undefined,
      targets,
      ...(brokerConfig
        ? {
            broker: {
              brokerUrl: brokerConfig.baseUrl,
              token: brokerConfig.token,
              providerVersion: o.providerVersion!,
              providerBranch: o.providerBranch,
              includeWipPactsSince: o.includeWipSince,
              enablePending: true,
            },
          }
        : {}),
    });
    section = result.section;
  } else {
    const o = options as CanIDeployOptions;
    if (brokerConfig) {
      section = await canIDeployWithBroker(brokerConfig, o, broker);
    } else {
      // No broker: the pacts and verification are local, so "can I deploy" is "do the contracts hold now".
      const result = await layer.runContractsLayer({
        mode: 'all',
        pactDir: o.pactDir,
        verifierLog: run.path('verifier.log'),
      });
      pactFiles = result.consumer?.pacts.map((p) => p.file) ?? [];
      section = result.section;
      section.summary = `No Pact Broker configured (PACT_BROKER_BASE_URL): checked locally. ${section.summary}`;
    }
  }

  // The pacts go into the run folder too, so the run is self-contained evidence.
  if (pactFiles.length) {
    mkdirSync(run.path('pacts'), { recursive: true });
    for (const file of pactFiles) copyFileSync(file, run.path(`pacts/${basename(file)}`));
    section.pacts = section.pacts?.map((p) => ({
      ...p,
      file: p.file ? `pacts/${basename(p.file)}` : undefined,
    }));
  }

  const layers = { contracts: section };
  const overall = verdict.overallVerdict({ layers });
  const decider = verdict.decidingCheck({ layers });
  const exitCode = verdict.exitCodeFor(overall);
  const finishedAt = new Date();
  const report = {
    schemaVersion: SCHEMA_VERSION,
    runId: run.id,
    command: `contracts ${sub}`,
    tool: { name: 'shipgate' as const, version: version() },
    release: {
      name: `contracts ${sub}`,
      candidateVersion:
        (options as CanIDeployOptions).version ??
        (options as VerifyOptions).providerVersion ??
        (options as TestOptions).defect ??
        'working tree',
      target: (options as VerifyOptions).baseUrl ?? 'embedded sandbox',
    },
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    },
    decision: {
      verdict: overall,
      reason: section.status === 'fail' ? section.summary : (decider?.message ?? section.summary),
      exitCode,
      ...(decider ? { decidedBy: { layer: 'contracts' as const, checkId: decider.id } } : {}),
    },
    layers,
  };
  const files = writeReports(run, report);
  run.journal.append({
    type: 'contracts.finished',
    command: sub,
    verdict: overall,
    failures: section.failures.length,
  });

  output(
    options.json,
    {
      verdict: overall,
      exitCode,
      runDir: run.dir,
      summary: section.summary,
      failures: section.failures,
      files,
    },
    () => human(section, run.dir, relative(process.cwd(), files.junit ?? '')),
  );
  return { exitCode, runDir: run.dir, section };
}

function human(section: ContractsLayer, runDir: string, junit: string): string {
  const lines: string[] = [];
  const counts = { pass: 0, fail: 0, inconclusive: 0, skipped: 0 };
  for (const check of section.checks) counts[check.status]++;
  lines.push(`contracts: ${section.status.toUpperCase()} — ${section.summary}`);
  for (const check of section.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive')) {
    lines.push(`  ✗ ${check.title}`);
    lines.push(`    ${check.message}`);
  }
  for (const failure of section.failures.slice(0, 10)) {
    lines.push(
      `  ${failure.provider} · "${failure.interaction}" · ${failure.field}: expected ${failure.expected}, got ${failure.actual}`,
    );
  }
  lines.push(`  ${counts.pass} passed, ${counts.fail} failed, ${counts.inconclusive} inconclusive`);
  lines.push(`  run folder: ${runDir}${junit ? ` (JUnit: ${junit})` : ''}`);
  return lines.join('\n');
}

async function canIDeployWithBroker(
  config: import('../../../contracts/broker/index.ts').BrokerConfig,
  options: CanIDeployOptions,
  broker: typeof import('../../../contracts/broker/index.ts'),
): Promise<ContractsLayer> {
  const client = broker.createBrokerClient(config);
  let answer: import('../../../contracts/broker/index.ts').CanIDeployAnswer;
  try {
    answer = await client.canIDeploy({
      pacticipant: options.pacticipant,
      version: options.version!,
      toEnvironment: options.toEnvironment,
    });
  } catch (error) {
    throw shipgateError('SG_BROKER_FAILED', {
      broker: broker.describeBroker(config),
      reason: (error as Error).message,
    });
  }
  const status = answer.deployable === true ? 'pass' : answer.deployable === false ? 'fail' : 'inconclusive';
  const check: Check = {
    id: 'contracts/can-i-deploy',
    layer: 'contracts',
    title: `can-i-deploy ${options.pacticipant} ${options.version} to ${options.toEnvironment}`,
    status,
    message:
      status === 'pass'
        ? `The broker says ${options.pacticipant} ${options.version} can be deployed to ${options.toEnvironment}: ${answer.reason}`
        : `The broker says ${options.pacticipant} ${options.version} cannot be deployed to ${options.toEnvironment}${status === 'inconclusive' ? ' yet' : ''}: ${answer.reason}`,
    evidence: { test: 'pact broker can-i-deploy', details: { matrix: answer.matrix, reason: answer.reason } },
  };
  const failures = answer.matrix
    .filter((row) => row.success === false)
    .map((row) => ({
      provider: row.provider,
      consumer: row.consumer,
      interaction: '(all interactions of this pact)',
      field: '(verification)',
      expected: 'a successful verification',
      actual:
        `failed verification of ${row.consumer} ${row.consumerVersion ?? ''} by ${row.provider} ${row.providerVersion ?? ''}`.trim(),
    }));
  return { status, summary: check.message, checks: [check], failures };
}

function generativeRuns(option: boolean | string | undefined): number | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) {
    const fromEnv = Number(process.env.SHIPGATE_GENERATIVE_RUNS);
    return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 50;
  }
  const runs = Number(option);
  if (!Number.isInteger(runs) || runs <= 0) {
    throw shipgateError('SG_USAGE', {
      message: `--generative takes a positive whole number of runs, got "${option}"`,
    });
  }
  return runs;
}
