import { resolve } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { type FieldMismatch, fieldMismatchesOf, type VerifierMismatch } from '../pact/mismatch.ts';
import { type PactSummary, readPactFolder } from '../pact/read.ts';
import { httpStateClient, type StateChange } from './states.ts';

/** Where a provider runs and how to talk to it: any provider, any pacts. */
export interface ProviderTarget {
  /** The provider's name as its pacts spell it (`provider.name`). */
  provider: string;
  baseUrl: string;
  /**
   * Headers added to every replayed request (API keys, bearer tokens): pacts record no
   * credential, the verifier adds the real one. Secrets: never logged nor reported.
   */
  headers?: Record<string, string>;
  /** The provider's state-change endpoint (Pact's convention). Absent: states are not set up. */
  stateChange?: StateChange;
  /** The API key of a provider the platform's own clients know (the generative checks use them). */
  apiKey?: string;
}

/** Verification results published to a Pact Broker, and pacts fetched from it. */
export interface BrokerVerification {
  brokerUrl: string;
  token?: string;
  providerVersion: string;
  providerBranch?: string;
  /** Pending pacts (not yet verified by this provider) never fail the build. */
  enablePending?: boolean;
  /** Also verify work-in-progress pacts created since this date (YYYY-MM-DD). */
  includeWipPactsSince?: string;
  publish?: boolean;
}

export interface VerifyOptions {
  /** Folder of pact files (any names, consumers and spec versions); ignored when the pacts come from a broker. */
  pactDir: string;
  targets: ProviderTarget[];
  broker?: BrokerVerification;
  /** Per-request timeout of the verifier, ms. */
  timeoutMs?: number;
}

export interface InteractionVerification {
  provider: string;
  consumer?: string;
  description: string;
  states: string[];
  status: 'pass' | 'fail';
  /** A pending pact's failure is reported but does not fail the run. */
  pending?: boolean;
  mismatches: FieldMismatch[];
  error?: string;
}

export interface ProviderVerification {
  provider: string;
  baseUrl: string;
  status: 'pass' | 'fail' | 'inconclusive';
  interactions: InteractionVerification[];
  /** Why there is no verdict (no pacts, provider unreachable, verifier crashed), or state setup problems. */
  problems: string[];
  durationMs: number;
}

/** The pacts in a folder for one provider, whatever their consumer and specification version. */
export function pactsFor(pactDir: string, provider: string): PactSummary[] {
  return readPactFolder(pactDir).filter((pact) => pact.provider === provider);
}

/**
 * Verifies every pact of each target's provider against the running provider at its
 * base URL (Pact's native verifier replays each interaction). Provider states go to the
 * provider's state-change URL, the configured headers are added by a request filter, and
 * the verifier's JSON results become per-interaction results with field-level mismatches.
 */
export async function verifyProviders(options: VerifyOptions): Promise<ProviderVerification[]> {
  const out: ProviderVerification[] = [];
  // One at a time: each verification starts Pact's proxy and native verifier threads.
  for (const target of options.targets) out.push(await verifyProvider(target, options));
  return out;
}

export async function verifyProvider(
  target: ProviderTarget,
  options: VerifyOptions,
): Promise<ProviderVerification> {
  const started = Date.now();
  const fromBroker = options.broker !== undefined;
  const pacts = fromBroker ? [] : pactsFor(options.pactDir, target.provider);
  const files = pacts.map((p) => p.file);
  const done = (
    partial: Omit<ProviderVerification, 'provider' | 'baseUrl' | 'durationMs'>,
  ): ProviderVerification => ({
    provider: target.provider,
    baseUrl: target.baseUrl,
    ...partial,
    durationMs: Date.now() - started,
  });
  if (!fromBroker && files.length === 0) {
    return done({
      status: 'inconclusive',
      interactions: [],
      problems: [`no pact for provider ${target.provider} in ${resolve(options.pactDir)}`],
    });
  }
  const change = target.stateChange;
  const states = change ? httpStateClient(change) : undefined;
  const problems: string[] = [];
  const stateful = pacts.some((p) => p.interactions.some((i) => i.states.length > 0));
  if (!change && stateful) problems.push('no state-change URL: provider states were not set up');
  // Every state, by name: the pacts may come from a broker, so their states are not known
  // in advance; each is forwarded to the provider's state-change URL as it comes.
  const handlerFor = (name: string) => ({
    setup: async (params?: unknown) => {
      await states?.setup(name, params as Record<string, unknown>);
      return undefined;
    },
    teardown: async (params?: unknown) => {
      await states?.teardown(name, params as Record<string, unknown>);
      return undefined;
    },
  });
  const stateHandlers = new Proxy({} as Record<string, ReturnType<typeof handlerFor>>, {
    // The verifier also calls with an empty state for interactions without one: nothing to set up.
    get: (_target, name) => (typeof name === 'string' && name !== '' ? handlerFor(name) : undefined),
  });
  const headers = target.headers ?? {};
  const broker = options.broker;
  const verifier = new Verifier({
    provider: target.provider,
    providerBaseUrl: target.baseUrl,
    logLevel: 'error',
    timeout: options.timeoutMs ?? 10_000,
    // pact's types intersect HTTP and message state handlers; ours are the HTTP kind.
    stateHandlers: stateHandlers as never,
    ...(states && change?.resetState ? { beforeEach: () => states.reset() } : {}),
    requestFilter: ((req: FilteredRequest, _res: unknown, next: () => void) => {
      for (const [name, value] of Object.entries(headers)) req.headers[name] = value;
      // Pact's proxy re-sends a parsed body; a request that had none would otherwise
      // reach the provider as "{}" without a content type (fastify answers 415).
      if (!req.headers['content-type'] && isEmptyBody(req.body)) {
        req.body = undefined;
        req.headers['content-length'] = '0';
        delete req.headers['transfer-encoding'];
      }
      next();
    }) as never,
    ...(broker
      ? {
          pactBrokerUrl: broker.brokerUrl,
          ...(broker.token ? { pactBrokerToken: broker.token } : {}),
          providerVersion: broker.providerVersion,
          ...(broker.providerBranch ? { providerVersionBranch: broker.providerBranch } : {}),
          publishVerificationResult: broker.publish ?? true,
          enablePending: broker.enablePending ?? true,
          ...(broker.includeWipPactsSince ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
          consumerVersionSelectors: [
            { mainBranch: true },
            { deployedOrReleased: true },
            { matchingBranch: true },
          ],
        }
      : { pactUrls: files }),
  });

  let json: string;
  let verdictFailed = false;
  try {
    json = await verifier.verifyProvider();
  } catch (error) {
    json = (error as Error).message;
    verdictFailed = true;
  }
  const stateErrors = states?.errors ?? [];
  problems.push(...stateErrors);
  const parsed = parseVerifierJson(json);
  if (!parsed) {
    return done({
      status: 'inconclusive',
      interactions: [],
      problems: [...problems, `verifier failed: ${json.slice(0, 500)}`],
    });
  }
  const interactions = interactionResults(target.provider, pacts, parsed);
  const failed = interactions.some((i) => i.status === 'fail' && !i.pending);
  const status = failed || (verdictFailed && !parsed.result && interactions.length === 0) ? 'fail' : 'pass';
  // A pass against a provider whose states could not be set up proves nothing.
  const unprepared = status === 'pass' && stateErrors.length > 0;
  return done({
    status: (interactions.length === 0 && !failed) || unprepared ? 'inconclusive' : status,
    interactions,
    problems,
  });
}

/** pact_ffi's verification JSON (pactffi_verifier_json). */
export interface VerifierJson {
  result: boolean;
  output?: string[];
  errors?: {
    interaction: string;
    mismatch: { type: string; message?: string; mismatches?: VerifierMismatch[]; interactionId?: string };
  }[];
  pendingErrors?: VerifierJson['errors'];
  interactionResults?: { description: string; result?: string }[];
}

export function parseVerifierJson(text: string): VerifierJson | undefined {
  try {
    const value = JSON.parse(text) as VerifierJson;
    return typeof value === 'object' && value !== null && 'result' in value ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every interaction of the provider's pacts with its outcome. pact_ffi names a failed
 * interaction by its description (plus state, in words); everything not named passed.
 */
export function interactionResults(
  provider: string,
  pacts: PactSummary[],
  json: VerifierJson,
): InteractionVerification[] {
  const failures = [
    ...(json.errors ?? []).map((e) => ({ ...e, pending: false })),
    ...(json.pendingErrors ?? []).map((e) => ({ ...e, pending: true })),
  ];
  const known: { consumer?: string; description: string; states: string[] }[] = pacts.flatMap((pact) =>
    pact.interactions.map((i) => ({
      consumer: pact.consumer,
      description: i.description,
      states: i.states.map((s) => s.name),
    })),
  );
  // Pacts from a broker are not on disk: the verifier's own list says what it verified.
  for (const verified of json.interactionResults ?? []) {
    if (!known.some((k) => k.description === verified.description)) {
      known.push({ description: verified.description, states: [] });
    }
  }
  const results: InteractionVerification[] = known.map((i) => {
    const failure = failures.find(
      (f) =>
        f.interaction === i.description ||
        f.interaction.startsWith(`${i.description} `) ||
        f.interaction.includes(i.description),
    );
    if (!failure) return { provider, ...i, status: 'pass', mismatches: [] };
    return failedInteraction(provider, i, failure);
  });
  // From a broker, the pacts are not on disk: the failures alone are what we know.
  for (const failure of failures) {
    if (known.some((i) => failure.interaction.includes(i.description))) continue;
    results.push(failedInteraction(provider, { description: failure.interaction, states: [] }, failure));
  }
  return results;
}

function failedInteraction(
  provider: string,
  interaction: { consumer?: string; description: string; states: string[] },
  failure: NonNullable<VerifierJson['errors']>[number] & { pending: boolean },
): InteractionVerification {
  const mismatches = (failure.mismatch.mismatches ?? []).flatMap((m) => fieldMismatchesOf(m));
  return {
    provider,
    ...interaction,
    status: 'fail',
    ...(failure.pending ? { pending: true } : {}),
    mismatches,
    error:
      failure.mismatch.message ??
      (mismatches.map((m) => `${m.field}: ${m.message}`).join('; ') || failure.mismatch.type),
  };
}

/** The part of express's request the filter touches (express's types are not a dependency). */
interface FilteredRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (Buffer.isBuffer(body)) return body.length === 0;
  return typeof body === 'object' && Object.keys(body as object).length === 0;
}
