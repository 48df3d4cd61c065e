import { shipgateError } from '../../core/errors.ts';
import type { Check, ContractFailure, ContractsLayer } from '../../core/report/model.ts';
import {
  type BrokerConfig,
  type CanIDeployAnswer,
  createBrokerClient,
  describeBroker,
} from '../broker/index.ts';

export interface CanIDeployQuestion {
  pacticipant: string;
  version: string;
  toEnvironment: string;
}

/**
 * Asks the Pact Broker whether a version may be deployed to an environment and returns
 * the answer as the contracts section: one check, and a failure per unverified pact in
 * the broker's matrix. An unknown answer (no verification yet) is inconclusive, never a pass.
 */
export async function canIDeploy(
  broker: BrokerConfig,
  question: CanIDeployQuestion,
): Promise<ContractsLayer> {
  const { check, failures } = await canIDeployCheck(broker, question);
  return { status: check.status, summary: check.message, checks: [check], failures };
}

/** One can-i-deploy question as a report check and the failures of the broker's matrix. */
export async function canIDeployCheck(
  broker: BrokerConfig,
  question: CanIDeployQuestion,
): Promise<{ check: Check; failures: ContractFailure[] }> {
  let answer: CanIDeployAnswer;
  try {
    answer = await createBrokerClient(broker).canIDeploy(question);
  } catch (error) {
    throw shipgateError('SG_BROKER_FAILED', {
      broker: describeBroker(broker),
      reason: (error as Error).message,
    });
  }
  const { pacticipant, version, toEnvironment } = question;
  const status = answer.deployable === true ? 'pass' : answer.deployable === false ? 'fail' : 'inconclusive';
  const check: Check = {
    id: `contracts/can-i-deploy/${question.pacticipant}/${question.toEnvironment}`,
    layer: 'contracts',
    title: `can-i-deploy ${pacticipant} ${version} to ${toEnvironment}`,
    status,
    message:
      status === 'pass'
        ? `The broker says ${pacticipant} ${version} can be deployed to ${toEnvironment}: ${answer.reason}`
        : `The broker says ${pacticipant} ${version} cannot be deployed to ${toEnvironment}${status === 'inconclusive' ? ' yet' : ''}: ${answer.reason}`,
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
  return { check, failures };
}
