import { readFileSync } from 'node:fs';
import { MatchersV3, PactV3, SpecificationVersion } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { depotClient } from './depot-client.ts';
import { publishPacts } from './pact-folder.ts';
import { requestsRecorded } from './pact-recorded.ts';

/**
 * A second consumer of Kestrel Depot, the restock planner, reading stock levels with the
 * same client. Its pact is written in specification V3 (teams on older Pact versions
 * still publish those), so a verifier meets both formats for one provider.
 */
const { integer, like } = MatchersV3;

async function levels(dir: string, build: (pact: PactV3) => PactV3, use: (url: string) => Promise<void>) {
  const pact = new PactV3({
    consumer: 'restock-planner',
    provider: 'kestrel-depot',
    dir,
    logLevel: 'error',
    spec: SpecificationVersion.SPECIFICATION_VERSION_V3,
  });
  await build(pact).executeTest(async (mock) => {
    await use(mock.url);
    await requestsRecorded(pact, mock);
  });
}

describe('restock-planner → kestrel-depot (Pact V3)', () => {
  it('writes the pact from the planner’s stock-level reads', async () => {
    const files = await publishPacts(async (dir) => {
      await levels(
        dir,
        (pact) =>
          pact
            .given('an article is stocked', { article: 'KS-0042', units: 12 })
            .uponReceiving('the stock level of a stocked article')
            .withRequest({ method: 'GET', path: '/articles/KS-0042/level' })
            .willRespondWith({
              status: 200,
              body: { article: 'KS-0042', available: integer(12), bin: like('B42') },
            }),
        async (url) => {
          const client = depotClient(url, 'consumer-test-token');
          try {
            expect(await client.levelOf('KS-0042')).toEqual({ article: 'KS-0042', available: 12 });
          } finally {
            await client.close();
          }
        },
      );
      await levels(
        dir,
        (pact) =>
          pact
            .uponReceiving('the stock level of an article the depot does not carry')
            .withRequest({ method: 'GET', path: '/articles/KS-0404/level' })
            .willRespondWith({ status: 404, body: { problem: 'unknown-article' } }),
        async (url) => {
          const client = depotClient(url, 'consumer-test-token');
          try {
            expect(await client.levelOf('KS-0404')).toBeUndefined();
          } finally {
            await client.close();
          }
        },
      );
    });
    expect(files.map((f) => f.split('/').pop())).toEqual(['restock-planner-kestrel-depot.json']);
    const pact = JSON.parse(readFileSync(files[0]!, 'utf8'));
    expect(pact.metadata.pactSpecification.version).toBe('3.0.0');
    expect(pact.interactions).toHaveLength(2);
  });
});
