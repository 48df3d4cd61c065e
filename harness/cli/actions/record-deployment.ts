import { brokerFromEnv, createBrokerClient, describeBroker } from '../../../contracts/broker/index.ts';
import { shipgateError } from '../../../core/errors.ts';
import { ExitCode } from '../../../core/exit-codes.ts';
import { output } from '../run-command.ts';

/** `shipgate contracts record-deployment`: tells the Pact Broker what now runs where (can-i-deploy reads it). */
export interface RecordDeploymentOptions {
  version: string;
  pacticipant: string;
  environment: string;
  json?: boolean;
}

/** `record-deployment` (the version replaces the one deployed there) or `record-release` (one of several supported). */
export async function recordDeployment(
  options: RecordDeploymentOptions,
  kind: 'deployment' | 'release' = 'deployment',
): Promise<ExitCode> {
  const config = brokerFromEnv();
  if (!config)
    throw shipgateError('SG_USAGE', {
      message: `record-${kind} needs a Pact Broker: set PACT_BROKER_BASE_URL (and PACT_BROKER_TOKEN)`,
    });
  try {
    const client = createBrokerClient(config);
    const record = kind === 'release' ? client.recordRelease : client.recordDeployment;
    await record(options.pacticipant, options.version, options.environment);
  } catch (error) {
    throw shipgateError('SG_BROKER_FAILED', {
      broker: describeBroker(config),
      reason: (error as Error).message,
    });
  }
  output(
    options.json,
    { recorded: true, ...options },
    () =>
      `recorded ${options.pacticipant} ${options.version} as ${kind === 'release' ? 'released' : 'deployed'} to ${options.environment}`,
  );
  return ExitCode.Pass;
}
