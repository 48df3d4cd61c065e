import { readFileSync } from 'node:fs';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { type DepotClient, depotClient } from './depot-client.ts';
import { publishPacts } from './pact-folder.ts';
import { requestsRecorded } from './pact-recorded.ts';

/**
 * The fulfilment desk's contract with Kestrel Depot (Pact V4), written by running the
 * desk's real depot client against Pact's mock depot. The depot token is not part of the
 * contract: the mock ignores it and a verifier adds the real one.
 */
const { like, integer, eachLike } = MatchersV3;
const STOCKED = { article: 'KS-0042', units: 12 };

/**
 * Runs one interaction with a fresh client (no kept-alive socket reaches an older mock),
 * and lets the mock finish counting the request before Pact checks it (pact-recorded.ts).
 */
async function exercise(
  dir: string,
  build: (pact: PactV4) => Executable,
  use: (client: DepotClient) => Promise<void>,
) {
  const pact = new PactV4({ consumer: 'fulfilment-desk', provider: 'kestrel-depot', dir, logLevel: 'error' });
  await build(pact).executeTest(async (mock) => {
    const client = depotClient(mock.url, 'consumer-test-token');
    try {
      await use(client);
    } finally {
      await client.close();
    }
    await requestsRecorded(pact, mock);
  });
}
type Executable = {
  executeTest(fn: (mock: { url: string; port: number }) => Promise<void>): Promise<unknown>;
};

describe('fulfilment-desk → kestrel-depot (Pact V4)', () => {
  it('writes the pact from the desk client’s own calls', async () => {
    const files = await publishPacts(async (dir) => {
      await exercise(
        dir,
        (pact) =>
          pact
            .addInteraction()
            .given('an article is stocked', STOCKED)
            .uponReceiving('a hold for units in stock')
            .withRequest('POST', '/holds', (b) =>
              b.jsonBody({ reference: 'shop-1001', lines: [{ article: 'KS-0042', units: 2 }] }),
            )
            .willRespondWith(201, (b) =>
              b.jsonBody({
                holdId: like('H-000001'),
                reference: 'shop-1001',
                lines: [{ article: 'KS-0042', units: 2 }],
              }),
            ),
        async (client) => {
          expect(await client.hold('shop-1001', [{ article: 'KS-0042', units: 2 }])).toEqual({
            kind: 'held',
            holdId: 'H-000001',
          });
        },
      );
      await exercise(
        dir,
        (pact) =>
          pact
            .addInteraction()
            .given('an article is sold out', { article: 'KS-0043' })
            .uponReceiving('a hold for a sold-out article')
            .withRequest('POST', '/holds', (b) =>
              b.jsonBody({ reference: 'shop-1002', lines: [{ article: 'KS-0043', units: 1 }] }),
            )
            .willRespondWith(409, (b) =>
              b.jsonBody({
                problem: 'short',
                short: eachLike({ article: 'KS-0043', wanted: integer(1), available: integer(0) }),
              }),
            ),
        async (client) => {
          const answer = await client.hold('shop-1002', [{ article: 'KS-0043', units: 1 }]);
          expect(answer).toEqual({ kind: 'short', short: [{ article: 'KS-0043', wanted: 1, available: 0 }] });
        },
      );
      await exercise(
        dir,
        (pact) =>
          pact
            .addInteraction()
            .given('a hold exists', { holdId: 'H-777777', article: 'KS-0042', units: 2 })
            .uponReceiving('the release of a hold')
            .withRequest('DELETE', '/holds/H-777777')
            .willRespondWith(204),
        (client) => client.release('H-777777'),
      );
    });
    expect(files.map((f) => f.split('/').pop())).toEqual(['fulfilment-desk-kestrel-depot.json']);
    const pact = JSON.parse(readFileSync(files[0]!, 'utf8'));
    expect(pact.metadata.pactSpecification.version).toBe('4.0');
    expect(pact.interactions.map((i: { description: string }) => i.description).sort()).toEqual([
      'a hold for a sold-out article',
      'a hold for units in stock',
      'the release of a hold',
    ]);
    expect(JSON.stringify(pact)).not.toContain('consumer-test-token');
  });
});
