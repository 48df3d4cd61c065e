import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pactFile, runConsumerSpecs } from './run.ts';
import { CONSUMER } from './types.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-pacts-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('runConsumerSpecs', () => {
  it('passes every interaction with the stable clients and writes one pact per provider, with matchers', async () => {
    const pactDir = tempDir();
    const run = await runConsumerSpecs({ pactDir });
    expect(run.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(run.results.map((r) => r.id)).toContain('steppe/quote');
    expect(run.pacts.map((p) => [p.provider, p.interactions])).toEqual([
      ['parcelly', 5],
      ['labelfast', 5],
      ['steppe', 5],
      ['inventory', 5],
    ]);
    const pact = JSON.parse(readFileSync(pactFile(pactDir, 'steppe'), 'utf8'));
    expect(pact.consumer.name).toBe(CONSUMER);
    const quote = pact.interactions.find(
      (i: { description: string }) => i.description === 'a tariff list for a 2.5 kg parcel',
    );
    // The weight is contracted as an integer (a type), not as the literal 2500.
    expect(quote.request.matchingRules.body['$.packages[0].weight']).toEqual({
      combine: 'AND',
      matchers: [{ match: 'integer' }],
    });
    const states = pact.interactions.flatMap(
      (i: { providerStates?: { name: string }[] }) => i.providerStates ?? [],
    );
    expect(states.map((s: { name: string }) => s.name)).toContain('carrier rejects oversize parcels');
  }, 60_000);

  it('catches the unit-mismatch defect at the steppe mock, naming the interaction, the field, expected and actual', async () => {
    const run = await runConsumerSpecs({ pactDir: tempDir(), clientOptions: { weightUnitBug: true } });
    const failed = run.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.id)).toEqual(['steppe/quote', 'steppe/create-shipment']);
    expect(failed[0]?.description).toBe('a tariff list for a 2.5 kg parcel');
    expect(failed[0]?.mismatches).toEqual([
      expect.objectContaining({
        field: 'request.body.packages[0].weight',
        expected: 'an integer',
        actual: '2.5 (Decimal)',
      }),
    ]);
    // parcelly and labelfast take kilograms or ounces: the same flag changes nothing there.
    expect(run.results.filter((r) => r.provider !== 'steppe').every((r) => r.status === 'pass')).toBe(true);
  }, 60_000);

  it('keeps the previous pact of a provider whose interactions failed (no truncated pact for verify)', async () => {
    const pactDir = tempDir();
    await runConsumerSpecs({ pactDir, providers: ['steppe'] });
    const before = readFileSync(pactFile(pactDir, 'steppe'), 'utf8');
    const broken = await runConsumerSpecs({
      pactDir,
      providers: ['steppe'],
      clientOptions: { weightUnitBug: true },
    });
    expect(broken.pacts).toEqual([]);
    expect(readFileSync(pactFile(pactDir, 'steppe'), 'utf8')).toBe(before);
    expect(readdirSync(pactDir)).toEqual(['shipgate-platform-steppe.json']);
  }, 60_000);

  it('runs only the providers asked for', async () => {
    const pactDir = tempDir();
    const run = await runConsumerSpecs({ pactDir, providers: ['labelfast'] });
    expect(new Set(run.results.map((r) => r.provider))).toEqual(new Set(['labelfast']));
    expect(run.pacts.map((p) => p.provider)).toEqual(['labelfast']);
  }, 60_000);
});
