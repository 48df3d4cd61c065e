import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { interactionsOf, PROVIDERS, platformClient } from './interactions.ts';
import { type FieldMismatch, NOT_RECEIVED, parseMockServerError } from './mismatch.ts';
import { type ClientOptions, CONSUMER, type ConsumerInteraction, type ProviderName } from './types.ts';

export const DEFAULT_PACT_DIR = '.shipgate/pacts';

export interface ConsumerSpecOptions {
  /**
   * Where pact files are written (default `.shipgate/pacts`). A provider's pact is replaced
   * only when all its interactions passed; otherwise the previous one is kept.
   */
  pactDir?: string;
  /** Only these providers (default: every provider with a consumer spec). */
  providers?: ProviderName[];
  /** The platform's client options under test, e.g. the canary's `{ weightUnitBug: true }`. */
  clientOptions?: ClientOptions;
  /** Extra interactions (tests, users' own specs) run after the built-in ones. */
  extraInteractions?: ConsumerInteraction<unknown>[];
  /** Builds the client for an extra interaction's provider. */
  clientFor?: (provider: ProviderName, baseUrl: string) => unknown;
}

export interface InteractionResult {
  id: string;
  provider: ProviderName;
  consumer: string;
  description: string;
  states: string[];
  status: 'pass' | 'fail';
  durationMs: number;
  /** What did not match, field by field (empty when the client itself failed; see error). */
  mismatches: FieldMismatch[];
  /** The failure in Pact's and the client's own words. */
  error?: string;
}

export interface PactFileInfo {
  consumer: string;
  provider: ProviderName;
  file: string;
  interactions: number;
}

export interface ConsumerRunResult {
  pactDir: string;
  results: InteractionResult[];
  pacts: PactFileInfo[];
  durationMs: number;
}

/** The API key the clients present to the Pact mock; verification replaces it with the real one. */
export const CONTRACT_API_KEY = 'test-key';

/**
 * Runs the platform's consumer specs: for each interaction a Pact mock server is started,
 * the platform's REAL client makes its call against it, and Pact checks the request and
 * serves the contracted response. Passing interactions are written to
 * `<pactDir>/<consumer>-<provider>.json`. Sequential on purpose: each mock server is a
 * port and a native thread, and the whole suite takes well under a second per provider.
 */
export async function runConsumerSpecs(options: ConsumerSpecOptions = {}): Promise<ConsumerRunResult> {
  const started = Date.now();
  const pactDir = resolve(options.pactDir ?? DEFAULT_PACT_DIR);
  mkdirSync(pactDir, { recursive: true });
  const builtIn = (options.providers ?? PROVIDERS).filter((p) => PROVIDERS.includes(p));
  const interactions: ConsumerInteraction<unknown>[] = [
    ...builtIn.flatMap((p) => interactionsOf(p)),
    ...(options.extraInteractions ?? []).filter(
      (i) => !options.providers || options.providers.includes(i.provider),
    ),
  ];
  const providers = [...new Set(interactions.map((i) => i.provider))];
  // Pacts are written to a staging folder first and replace the published ones only for
  // providers whose every interaction passed: a failing run (a defect under test) must
  // not leave a truncated pact behind for the next `contracts verify`.
  const staging = mkdtempSync(join(pactDir, '.staging-'));

  const results: InteractionResult[] = [];
  const previous = getGlobalDispatcher();
  try {
    for (const interaction of interactions) {
      // A fresh connection pool per mock server: the OS may hand a later mock the port of
      // an earlier one, and a kept-alive socket would then reach the old mock (seen as a
      // 500 and "request expected but not received").
      const pool = new Agent();
      setGlobalDispatcher(pool);
      try {
        results.push(await runInteraction(interaction, staging, options));
      } finally {
        await pool.close();
      }
    }
  } finally {
    setGlobalDispatcher(previous);
  }
  const pacts: PactFileInfo[] = [];
  try {
    for (const provider of providers) {
      const staged = pactFile(staging, provider);
      const failed = results.some((r) => r.provider === provider && r.status === 'fail');
      if (failed || !existsSync(staged)) continue;
      const file = pactFile(pactDir, provider);
      renameSync(staged, file);
      const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions?: unknown[] };
      pacts.push({ consumer: CONSUMER, provider, file, interactions: pact.interactions?.length ?? 0 });
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { pactDir, results, pacts, durationMs: Date.now() - started };
}

export function pactFile(pactDir: string, provider: string, consumer = CONSUMER): string {
  return join(pactDir, `${consumer}-${provider}.json`);
}

/** Attempts of one interaction when Pact's mock lost track of a request it did answer. */
const MAX_ATTEMPTS = 3;

async function runInteraction(
  interaction: ConsumerInteraction<unknown>,
  pactDir: string,
  options: ConsumerSpecOptions,
): Promise<InteractionResult> {
  let result: InteractionResult & { lostByMock?: boolean } = await runInteractionOnce(
    interaction,
    pactDir,
    options,
  );
  // Under heavy CPU load Pact's mock can report a request it answered as "expected but
  // not received" with no mismatch of the request itself: a race in the mock, not
  // evidence about the contract, so the interaction is run again (bounded). A client
  // that really sends nothing fails the same way every time and is reported as such.
  for (let attempt = 2; attempt <= MAX_ATTEMPTS && result.lostByMock; attempt++) {
    result = await runInteractionOnce(interaction, pactDir, options);
  }
  const { lostByMock: _lost, ...rest } = result;
  return rest;
}

async function runInteractionOnce(
  interaction: ConsumerInteraction<unknown>,
  pactDir: string,
  options: ConsumerSpecOptions,
): Promise<InteractionResult & { lostByMock?: boolean }> {
  const started = Date.now();
  const base = {
    id: interaction.id,
    provider: interaction.provider,
    consumer: CONSUMER,
    description: interaction.description,
    states: interaction.states.map((s) => s.name),
  };
  const pact = new PactV4({
    consumer: CONSUMER,
    provider: interaction.provider,
    dir: pactDir,
    logLevel: 'error',
  });
  let builder = pact.addInteraction();
  for (const state of interaction.states) builder = builder.given(state.name, state.params as never);
  const { request, response } = interaction;
  // The client's own error is held back so Pact reports its mismatches as the failure
  // (when the client throws, Pact would only log them, and they are the evidence).
  let clientError: Error | undefined;
  try {
    await builder
      .uponReceiving(interaction.description)
      .withRequest(request.method, request.path, (b) => {
        if (request.query) b.query(request.query);
        if (request.headers) b.headers(request.headers as never);
        if (request.body !== undefined) b.jsonBody(request.body);
      })
      .willRespondWith(response.status, (b) => {
        if (response.headers) b.headers(response.headers as never);
        if (response.body !== undefined) b.jsonBody(response.body);
      })
      .executeTest(async (mockServer) => {
        const client = PROVIDERS.includes(interaction.provider)
          ? platformClient(interaction.provider, mockServer.url, CONTRACT_API_KEY, options.clientOptions)
          : options.clientFor?.(interaction.provider, mockServer.url);
        if (!client) throw new Error(`no client for provider ${interaction.provider}`);
        try {
          await interaction.exercise(client);
        } catch (error) {
          clientError = error instanceof Error ? error : new Error(String(error));
        }
      });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const message = [tidy(text), clientError ? `The client then failed: ${clientError.message}` : '']
      .filter(Boolean)
      .join('\n');
    const mismatches = parseMockServerError(text);
    const lostByMock = mismatches.length > 0 && mismatches.every((m) => m.actual === NOT_RECEIVED);
    return {
      ...base,
      status: 'fail',
      durationMs: Date.now() - started,
      mismatches,
      error: message,
      lostByMock,
    };
  }
  if (clientError) {
    // The request matched the contract, but the platform's client could not use the contracted answer.
    return {
      ...base,
      status: 'fail',
      durationMs: Date.now() - started,
      mismatches: [],
      error: clientError.message,
    };
  }
  return { ...base, status: 'pass', durationMs: Date.now() - started, mismatches: [] };
}

/** Pact's error text without its tab-heavy indentation and blank lines. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}
