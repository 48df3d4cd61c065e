import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { verifyProvider } from '../verify/verify.ts';
import { contractHandlers, readPacts } from './index.ts';
import { serveHandlers } from './serve.ts';

/**
 * msw handlers from a team's own pacts: Kestrel's (examples/own-platform), a V4 pact of
 * fulfilment-desk and a V3 pact of restock-planner, neither written by shipgate.
 */
const pactDir = join(process.cwd(), 'examples', 'own-platform', 'pacts');

describe('contractHandlers on a team’s own pacts (V3 and V4)', () => {
  it('reads both spec versions into one shape (V3 bodies and string headers, V4 contents and lists)', () => {
    const pacts = readPacts(pactDir);
    expect(pacts.map((p) => `${p.consumer.name}→${p.provider.name}`).sort()).toEqual([
      'fulfilment-desk→kestrel-depot',
      'restock-planner→kestrel-depot',
    ]);
    const level = pacts.find((p) => p.consumer.name === 'restock-planner')!.interactions[0]!;
    expect(level.response.body?.content).toEqual({ article: 'KS-0042', available: 12, bin: 'B42' });
    expect(level.response.headers).toEqual({ 'Content-Type': ['application/json'] });
  });

  it('answer a unit test’s calls as the depot would: each route, the recorded path’s own answer, the closest body', async () => {
    const server = setupServer(...contractHandlers({ pactDir, baseUrl: 'http://depot.test' }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const level = await fetch('http://depot.test/articles/KS-0007/level');
      expect(level.status).toBe(200);
      expect(await level.json()).toEqual({ article: 'KS-0042', available: 12, bin: 'B42' });
      const unknown = await fetch('http://depot.test/articles/KS-0404/level');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ problem: 'unknown-article' });
      const hold = (lines: { article: string; units: number }[]) =>
        fetch('http://depot.test/holds', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reference: 'shop-9', lines }),
        });
      const held = await hold([{ article: 'KS-0042', units: 2 }]);
      expect(held.status).toBe(201);
      expect(((await held.json()) as { holdId: string }).holdId).toBe('H-000001');
      expect((await hold([{ article: 'KS-0043', units: 1 }])).status).toBe(409);
      expect((await fetch('http://depot.test/holds/H-123456', { method: 'DELETE' })).status).toBe(204);
    } finally {
      server.close();
    }
  });

  it('agree with the pacts: Pact’s verifier passes every V3 and V4 interaction against the handlers', async () => {
    const served = await serveHandlers(readPacts(pactDir), 'kestrel-depot');
    try {
      const result = await verifyProvider(
        {
          provider: 'kestrel-depot',
          baseUrl: served.url,
          stateChange: { url: `${served.url}/admin/provider-state` },
        },
        { pactDir, targets: [] },
      );
      expect(result.problems).toEqual([]);
      expect(result.interactions.map((i) => [i.consumer, i.status])).toEqual([
        ['fulfilment-desk', 'pass'],
        ['fulfilment-desk', 'pass'],
        ['fulfilment-desk', 'pass'],
        ['restock-planner', 'pass'],
        ['restock-planner', 'pass'],
      ]);
      expect(result.status).toBe('pass');
    } finally {
      await served.close();
    }
  }, 60_000);
});
