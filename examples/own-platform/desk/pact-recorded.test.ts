import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV3, SpecificationVersion } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { depotClient } from './depot-client.ts';
import { requestsRecorded } from './pact-recorded.ts';

const dir = mkdtempSync(join(tmpdir(), 'kestrel-pact-recorded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function unknownArticle(n: number): PactV3 {
  return new PactV3({
    consumer: 'recorded-probe',
    provider: 'kestrel-depot',
    dir,
    logLevel: 'error',
    spec: SpecificationVersion.SPECIFICATION_VERSION_V3,
  })
    .uponReceiving(`the stock level of unknown article ${n}`)
    .withRequest({ method: 'GET', path: `/articles/KS-9${n}/level` })
    .willRespondWith({ status: 404, body: { problem: 'unknown-article' } });
}

describe('requestsRecorded', () => {
  it('holds each test until the mock has counted the request it answered', async () => {
    // Without the wait, about 1 in 75 of these failed as "expected but not received" on
    // a loaded two-core machine (4 of 300 in a loop of this shape).
    for (let n = 0; n < 30; n++) {
      const pact = unknownArticle(n);
      await pact.executeTest(async (mock) => {
        const client = depotClient(mock.url, 'probe-token');
        try {
          expect(await client.levelOf(`KS-9${n}`)).toBeUndefined();
        } finally {
          await client.close();
        }
        expect(await requestsRecorded(pact, mock)).toBe(true);
      });
    }
  });

  it('gives up after its bound when the request was never sent, and Pact still says so', async () => {
    const pact = unknownArticle(99);
    let recorded: boolean | undefined;
    const started = Date.now();
    const run = pact.executeTest(async (mock) => {
      recorded = await requestsRecorded(pact, mock, 100);
    });
    await expect(run).rejects.toThrow(/expected but not received[\s\S]*\/articles\/KS-999\/level/);
    expect(recorded).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
