import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPacts } from '../msw/index.ts';
import { serveHandlers } from '../msw/serve.ts';
import { runContractsLayer } from './run.ts';

/**
 * The layer on pacts shipgate did not write (Kestrel's, examples/own-platform), against a
 * provider served from those pacts' own answers: which pacts it verifies, and what it
 * says when a provider's states cannot be set up.
 */
const kestrelPacts = join(process.cwd(), 'examples', 'own-platform', 'pacts');
let pactDir: string;
let served: { url: string; close(): Promise<void> };
beforeAll(async () => {
  pactDir = mkdtempSync(join(tmpdir(), 'shipgate-any-provider-'));
  for (const name of readdirSync(kestrelPacts)) copyFileSync(join(kestrelPacts, name), join(pactDir, name));
  // A third consumer's V2 pact with a provider nobody configured.
  writeFileSync(
    join(pactDir, 'label-printer-gullwing.json'),
    JSON.stringify({
      consumer: { name: 'label-printer' },
      provider: { name: 'gullwing' },
      metadata: { pactSpecification: { version: '2.0.0' } },
      interactions: [
        {
          description: 'a booking',
          request: { method: 'POST', path: '/v2/consignments' },
          response: { status: 201 },
        },
      ],
    }),
  );
  served = await serveHandlers(readPacts(kestrelPacts), 'kestrel-depot');
});
afterAll(async () => {
  await served?.close();
  rmSync(pactDir, { recursive: true, force: true });
});

describe('the contracts layer on any provider’s pacts', () => {
  it('verifies every pact of the configured provider and lists the unconfigured one as not verified', async () => {
    const { section } = await runContractsLayer({
      mode: 'verify',
      pactDir,
      targets: [
        {
          provider: 'kestrel-depot',
          baseUrl: served.url,
          stateChange: { url: `${served.url}/admin/provider-state` },
        },
      ],
    });
    expect(section.status).toBe('pass');
    expect(section.summary).toBe('Contracts hold: 5 of 5 provider verifications passed.');
    const skipped = section.checks.filter((c) => c.status === 'skipped');
    expect(skipped.map((c) => c.title)).toEqual(['label-printer → gullwing: not verified']);
    expect(skipped[0]?.message).toMatch(/no target is configured for provider gullwing/);
    expect(section.pacts?.map((p) => p.consumer).sort()).toEqual(['fulfilment-desk', 'restock-planner']);
  }, 60_000);

  it('is inconclusive, naming the state, when the state-change URL refuses: no pass on an unprepared provider', async () => {
    const { section, verification } = await runContractsLayer({
      mode: 'verify',
      pactDir,
      providers: ['kestrel-depot'],
      targets: [
        {
          provider: 'kestrel-depot',
          baseUrl: served.url,
          stateChange: { url: `${served.url}/no-such-route` },
        },
      ],
    });
    expect(verification?.[0]?.problems.join('\n')).toMatch(
      /provider state "an article is stocked" \(setup\): HTTP 404/,
    );
    expect(section.status).not.toBe('pass');
  }, 60_000);
});
