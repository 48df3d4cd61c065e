import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PACT_DIR } from '../desk/pact-folder.ts';
import { buildDepot } from './app.ts';

/**
 * Provider verification of the depot against its consumers' pacts (the V4 one of the
 * desk and the V3 one of the restock planner), as the depot team's CI would run it:
 * provider states through the depot's own state-change URL, setup and teardown, and
 * the token added as a header (it is in no pact).
 */
const TOKEN = 'verifier-token';
const pactFiles = readdirSync(PACT_DIR)
  .filter((name) => name.endsWith('-kestrel-depot.json'))
  .map((name) => join(PACT_DIR, name));

let depot: FastifyInstance | undefined;
afterEach(async () => {
  await depot?.close();
  depot = undefined;
});

async function verify(renameHoldId: boolean): Promise<string> {
  depot = buildDepot({ token: TOKEN, renameHoldId });
  const url = await depot.listen({ host: '127.0.0.1', port: 0 });
  return new Verifier({
    provider: 'kestrel-depot',
    providerBaseUrl: url,
    pactUrls: pactFiles,
    providerStatesSetupUrl: `${url}/_pact/state`,
    providerStatesSetupTeardown: true,
    providerStatesSetupBody: true,
    customProviderHeaders: [`X-Depot-Token: ${TOKEN}`],
    logLevel: 'error',
    timeout: 10_000,
  }).verifyProvider();
}

describe('kestrel-depot provider verification', () => {
  it('finds both consumers’ pacts, V4 and V3', () => {
    expect(pactFiles.map((f) => f.split('/').pop()).sort()).toEqual([
      'fulfilment-desk-kestrel-depot.json',
      'restock-planner-kestrel-depot.json',
    ]);
  });

  it('passes against the depot as built', async () => {
    await expect(verify(false)).resolves.toBeDefined();
  });

  it('fails against a depot that renamed holdId, naming the interaction and the field', async () => {
    const error = await verify(true).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error, 'verification passed against the renamed field').toBeDefined();
    expect(error!.message).toContain('a hold for units in stock');
    expect(error!.message).toContain('holdId');
  });
});
