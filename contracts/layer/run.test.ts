import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningProviders,
  sandboxTarget,
  startSandboxProviders,
} from '../../harness/targets/sandbox-providers.ts';
import { manualClock } from '../../sandbox/admin/manual-clock.ts';
import { startCarrier } from '../../sandbox/carriers/start.ts';
import { runContractsLayer } from './run.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-layer-'));
  dirs.push(dir);
  return dir;
};
// The layer is handed running providers: the sandbox's, started once for the file.
let sandbox: RunningProviders;
beforeAll(async () => {
  sandbox = await startSandboxProviders();
});
afterAll(async () => {
  await sandbox.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('runContractsLayer', () => {
  it('passes against the stable sandbox: every consumer interaction and every verification', async () => {
    const { section, consumer, verification } = await runContractsLayer({
      pactDir: tempDir(),
      targets: sandbox.targets,
    });
    expect(section.failures).toEqual([]);
    expect(section.status).toBe('pass');
    expect(consumer?.results).toHaveLength(20);
    expect(verification?.map((v) => [v.provider, v.status, v.interactions.length])).toEqual([
      ['parcelly', 'pass', 5],
      ['labelfast', 'pass', 5],
      ['steppe', 'pass', 5],
      ['inventory', 'pass', 5],
    ]);
    expect(section.summary).toBe(
      'Contracts hold: 20 of 20 consumer interactions and 20 of 20 provider verifications passed.',
    );
  }, 120_000);

  it('fails the canary build with unit-mismatch, naming steppe, the interaction and the field', async () => {
    const { section } = await runContractsLayer({
      pactDir: tempDir(),
      defect: 'unit-mismatch',
      targets: sandbox.targets,
    });
    expect(section.status).toBe('fail');
    expect(section.failures[0]).toEqual(
      expect.objectContaining({
        provider: 'steppe',
        interaction: 'a tariff list for a 2.5 kg parcel',
        field: 'request.body.packages[0].weight',
        expected: 'an integer',
        actual: '2.5 (Decimal)',
      }),
    );
    expect(section.summary).toMatch(
      /^Broken contract with steppe in "a tariff list for a 2\.5 kg parcel": request\.body\.packages\[0\]\.weight expected an integer, got 2\.5/,
    );
    const failed = section.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual([
      'contracts/consumer/steppe/a-tariff-list-for-a-2-5-kg-parcel',
      'contracts/consumer/steppe/registering-an-order-for-a-2-5-kg-parcel',
    ]);
  }, 120_000);

  it('verifies a provider at a given base URL with its own key and admin token, and fails on a wrong key', async () => {
    const pactDir = tempDir();
    await runContractsLayer({ mode: 'test', pactDir, providers: ['labelfast'] });
    const service = await startCarrier('labelfast', {
      clock: manualClock(),
      apiKey: 'staging-key',
      adminToken: 'staging-admin',
      latency: { minMs: 0, maxMs: 0 },
    });
    try {
      const target = sandboxTarget('labelfast', service.url, 'staging-key', 'staging-admin');
      const ok = await runContractsLayer({ mode: 'verify', pactDir, targets: [target] });
      expect(ok.section.status).toBe('pass');
      // As the gate runs it: the verifier in a child process, its output in the run's log
      // (a failing verification in-process prints Pact's FAILED lines into the test output).
      const verifierLog = join(tempDir(), 'verifier.log');
      const wrong = await runContractsLayer({
        mode: 'verify',
        pactDir,
        targets: [sandboxTarget('labelfast', service.url, 'not-the-key', 'staging-admin')],
        verifierLog,
      });
      expect(wrong.section.status).toBe('fail');
      expect(wrong.section.failures.some((f) => f.field === 'response.status' && f.actual === '401')).toBe(
        true,
      );
      // The verifier colours its log.
      expect(stripVTControlCharacters(readFileSync(verifierLog, 'utf8'))).toMatch(
        /has status code 200 \(FAILED\)/,
      );
    } finally {
      await service.close();
    }
  }, 120_000);

  it('is inconclusive, not a pass, when there are no pacts to verify', async () => {
    const { section } = await runContractsLayer({
      mode: 'verify',
      pactDir: tempDir(),
      providers: ['steppe'],
      targets: sandbox.targets,
    });
    expect(section.status).toBe('inconclusive');
    expect(section.summary).toMatch(/no pact for provider steppe/);
  }, 60_000);
});
