import type { Check, CheckStatus, ContractFailure, ContractsLayer } from '../../core/report/model.ts';
import type { GenerativeResult } from '../generative/check.ts';
import type { FieldMismatch } from '../pact/mismatch.ts';
import type { ConsumerRunResult, InteractionResult } from '../pact/run.ts';
import type { InteractionVerification, ProviderVerification } from '../verify/verify.ts';

/**
 * The contracts section of report.json, from consumer and verification results: pure,
 * so the sentences reviewers read are tested like any other output. (Type-only import
 * of the report model: nothing at runtime depends on harness/.)
 */
export interface SectionInput {
  consumer?: ConsumerRunResult;
  verification?: ProviderVerification[];
  /** Extra checks, e.g. can-i-deploy. */
  extraChecks?: Check[];
  /** Their failures (can-i-deploy's unverified pacts). */
  extraFailures?: ContractFailure[];
  /** Pact files as the report should name them (relative to the run folder). */
  pactFiles?: { consumer: string; provider: string; interactions: number; file?: string }[];
  timings?: ContractsLayer['timings'];
}

export function contractsSection(input: SectionInput): ContractsLayer {
  const checks: Check[] = [];
  const failures: ContractFailure[] = [];
  for (const result of input.consumer?.results ?? []) {
    checks.push(consumerCheck(result));
    if (result.status === 'fail') failures.push(...consumerFailures(result));
  }
  for (const provider of input.verification ?? []) {
    if (provider.interactions.length === 0 || provider.status === 'inconclusive') {
      checks.push(providerProblemCheck(provider));
    }
    for (const interaction of provider.interactions) {
      checks.push(verificationCheck(provider, interaction));
      if (interaction.status === 'fail' && !interaction.pending)
        failures.push(...verificationFailures(interaction));
    }
  }
  checks.push(...(input.extraChecks ?? []));
  failures.push(...(input.extraFailures ?? []));
  const status = combine(checks.map((c) => c.status));
  return {
    status,
    summary: summarise(checks, failures, input),
    ...(input.timings ? { timings: input.timings } : {}),
    checks,
    ...(input.pactFiles ? { pacts: input.pactFiles } : {}),
    failures,
  };
}

function combine(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  if (statuses.includes('pass')) return 'pass';
  return 'skipped';
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "request.body.packages[0].weight: expected an integer, got 2.5 (Decimal)" */
export function describeMismatch(m: FieldMismatch): string {
  if (m.expected === 'see message') return `${m.field}: ${m.message}`;
  return `${m.field}: expected ${m.expected}, got ${m.actual}`;
}

function consumerCheck(result: InteractionResult): Check {
  const title = `${result.provider}: ${result.description} (consumer spec)`;
  const base = {
    id: `contracts/consumer/${result.provider}/${slug(result.description)}`,
    layer: 'contracts' as const,
    title,
    status: result.status,
    durationMs: result.durationMs,
  };
  if (result.status === 'pass') {
    return {
      ...base,
      message: `The platform's ${result.provider} client sends the contracted request for "${result.description}" and understands the contracted answer.`,
      evidence: {
        test: 'pact consumer',
        details: { provider: result.provider, interaction: result.description, states: result.states },
      },
    };
  }
  const first = result.mismatches[0];
  const message = first
    ? `Broken contract with ${result.provider} in "${result.description}": the platform's request differs at ${describeMismatch(first)}.`
    : `The platform's ${result.provider} client failed in "${result.description}": ${firstLine(result.error)}.`;
  return {
    ...base,
    message,
    evidence: {
      test: 'pact consumer',
      details: {
        provider: result.provider,
        interaction: result.description,
        states: result.states,
        mismatches: result.mismatches,
        ...(result.error ? { pactOutput: result.error } : {}),
      },
    },
  };
}

function consumerFailures(result: InteractionResult): ContractFailure[] {
  const mismatches = result.mismatches.length
    ? result.mismatches
    : [
        {
          field: '(client)',
          expected: 'the client handles the contracted response',
          actual: firstLine(result.error),
          message: result.error ?? '',
        },
      ];
  return mismatches.map((m) => ({
    provider: result.provider,
    consumer: result.consumer,
    interaction: result.description,
    ...(result.states[0] ? { providerState: result.states.join('; ') } : {}),
    field: m.field,
    expected: m.expected,
    actual: m.actual,
    message: m.message,
  }));
}

function verificationCheck(provider: ProviderVerification, interaction: InteractionVerification): Check {
  const base = {
    id: `contracts/verify/${provider.provider}/${slug(interaction.description)}`,
    layer: 'contracts' as const,
    title: `${provider.provider}: ${interaction.description} (provider verification)`,
  };
  const details = {
    provider: provider.provider,
    baseUrl: provider.baseUrl,
    interaction: interaction.description,
    states: interaction.states,
    ...(interaction.pending ? { pending: true } : {}),
    ...(interaction.mismatches.length ? { mismatches: interaction.mismatches } : {}),
    ...(provider.problems.length ? { problems: provider.problems } : {}),
  };
  if (interaction.status === 'pass') {
    return {
      ...base,
      status: 'pass',
      message: `${provider.provider} at ${provider.baseUrl} answers "${interaction.description}" as the platform expects.`,
      evidence: { test: 'pact verification', details },
    };
  }
  const first = interaction.mismatches[0];
  const what = first ? describeMismatch(first) : firstLine(interaction.error);
  return {
    ...base,
    // A pending pact's failure is reported, but it is the consumer's new expectation, not yet a broken contract.
    status: interaction.pending ? 'pass' : 'fail',
    message: interaction.pending
      ? `Pending pact: ${provider.provider} does not yet satisfy "${interaction.description}" (${what}); not blocking.`
      : `Broken contract: ${provider.provider} at ${provider.baseUrl} answers "${interaction.description}" differently — ${what}.`,
    evidence: { test: 'pact verification', details },
  };
}

function verificationFailures(interaction: InteractionVerification): ContractFailure[] {
  const mismatches = interaction.mismatches.length
    ? interaction.mismatches
    : [
        {
          field: '(response)',
          expected: 'the contracted response',
          actual: firstLine(interaction.error),
          message: interaction.error ?? '',
        },
      ];
  return mismatches.map((m) => ({
    provider: interaction.provider,
    ...(interaction.consumer ? { consumer: interaction.consumer } : {}),
    interaction: interaction.description,
    ...(interaction.states[0] ? { providerState: interaction.states.join('; ') } : {}),
    field: m.field,
    expected: m.expected,
    actual: m.actual,
    message: m.message,
  }));
}

function providerProblemCheck(provider: ProviderVerification): Check {
  return {
    id: `contracts/verify/${provider.provider}`,
    layer: 'contracts',
    title: `${provider.provider}: provider verification`,
    status: provider.status === 'fail' ? 'fail' : 'inconclusive',
    message: `No verdict for ${provider.provider} at ${provider.baseUrl}: ${provider.problems.join('; ') || 'no interactions were verified'}.`,
    evidence: {
      test: 'pact verification',
      details: { provider: provider.provider, baseUrl: provider.baseUrl, problems: provider.problems },
    },
    durationMs: provider.durationMs,
  };
}

function summarise(checks: Check[], failures: ContractFailure[], input: SectionInput): string {
  if (failures.length > 0) {
    const f = failures[0]!;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    return `Broken contract with ${f.provider} in "${f.interaction}": ${f.field} expected ${f.expected}, got ${f.actual}${more}.`;
  }
  const failed = checks.find((c) => c.status === 'fail');
  if (failed) return failed.message;
  const inconclusive = checks.find((c) => c.status === 'inconclusive');
  if (inconclusive) return inconclusive.message;
  const parts: string[] = [];
  const consumer = input.consumer?.results ?? [];
  if (consumer.length)
    parts.push(
      `${consumer.filter((r) => r.status === 'pass').length} of ${consumer.length} consumer interactions`,
    );
  const verified = (input.verification ?? []).flatMap((p) => p.interactions);
  if (verified.length)
    parts.push(
      `${verified.filter((r) => r.status === 'pass').length} of ${verified.length} provider verifications`,
    );
  const extra = (input.extraChecks ?? []).filter((c) => c.status !== 'skipped');
  if (extra.length)
    parts.push(`${extra.filter((c) => c.status === 'pass').length} of ${extra.length} further checks`);
  return parts.length ? `Contracts hold: ${parts.join(' and ')} passed.` : 'No contract was checked.';
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!.slice(0, 300);
}

/** A generative check of one provider as a report check. */
export function generativeCheck(result: GenerativeResult): Check {
  const counts = `${result.runs} generated inputs (seed ${result.seed}): ${result.succeeded} calls answered, ${result.refused} refused with a documented error`;
  return {
    id: `contracts/generative/${result.provider}`,
    layer: 'contracts',
    title: `${result.provider}: generated parcels and orders (generative check)`,
    status: result.passed ? 'pass' : 'fail',
    message: result.passed
      ? `${result.provider} answered every generated input within its contract: ${counts}.`
      : `${result.provider} broke its contract on a generated input: ${firstLine(result.error)}. Smallest input: ${result.counterexample ?? 'n/a'}.`,
    evidence: {
      test: 'fast-check property',
      details: {
        provider: result.provider,
        runs: result.runs,
        seed: result.seed,
        succeeded: result.succeeded,
        refused: result.refused,
        ...(result.error ? { error: result.error } : {}),
      },
    },
  };
}
