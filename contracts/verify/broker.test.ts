import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProviders, startSandboxProviders } from '../../harness/targets/sandbox-providers.ts';
import { startFakeBroker } from '../../test/support/fake-broker.ts';
import { pactFile, runConsumerSpecs } from '../pact/run.ts';
import { verifyProvidersIsolated } from './isolated.ts';
import { verifyProvider } from './verify.ts';

let pactDir: string;
let sandbox: RunningProviders;
beforeAll(async () => {
  pactDir = mkdtempSync(join(tmpdir(), 'shipgate-broker-verify-'));
  await runConsumerSpecs({ pactDir, providers: ['steppe'] });
  sandbox = await startSandboxProviders(['steppe']);
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
  rmSync(pactDir, { recursive: true, force: true });
});

describe('verification with a Pact Broker', () => {
  it('fetches pacts for verification with pending and WIP, and publishes the result with the provider version and branch', async () => {
    const broker = await startFakeBroker({ token: 'tok' });
    try {
      broker.addPact(JSON.parse(readFileSync(pactFile(pactDir, 'steppe'), 'utf8')));
      const target = sandbox.targets[0]!;
      const result = await verifyProvider(target, {
        pactDir,
        targets: [],
        broker: {
          brokerUrl: broker.url,
          token: 'tok',
          providerVersion: '7.0.1',
          providerBranch: 'main',
          includeWipPactsSince: '2026-01-01',
          enablePending: true,
        },
      });
      expect(result.status).toBe('pass');
      expect(result.interactions.map((i) => i.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      const ask = broker.calls.find(
        (c) => c.method === 'POST' && c.url === '/pacts/provider/steppe/for-verification',
      );
      expect(ask?.authorization).toBe('Bearer tok');
      expect(ask?.body).toMatchObject({
        includePendingStatus: true,
        includeWipPactsSince: '2026-01-01',
        providerVersionBranch: 'main',
      });
      expect(
        broker.calls.some(
          (c) => c.method === 'PUT' && c.url === '/pacticipants/steppe/branches/main/versions/7.0.1',
        ),
      ).toBe(true);
      const published = broker.calls.find((c) => c.url.endsWith('/verification-results'));
      expect(published?.body).toMatchObject({ success: true, providerApplicationVersion: '7.0.1' });
    } finally {
      await broker.close();
    }
  }, 60_000);

  it('reports a pending pact’s failure without failing the provider', async () => {
    const broker = await startFakeBroker();
    try {
      const pact = JSON.parse(readFileSync(pactFile(pactDir, 'steppe'), 'utf8'));
      pact.interactions[0].response.body.content.newField = 'expected by a new consumer version';
      pact.interactions[0].response.matchingRules = {};
      broker.addPact(pact, true);
      // In a child process, as the gate runs it: the pending pact's failure is printed by
      // Pact's verifier, into the log and not the test output.
      const log = join(pactDir, 'verifier-pending.log');
      const [result] = await verifyProvidersIsolated(
        {
          pactDir,
          targets: [sandbox.targets[0]!],
          broker: { brokerUrl: broker.url, providerVersion: '7.0.2', enablePending: true, publish: false },
        },
        log,
      );
      if (!result) throw new Error('no verification result');
      expect(readFileSync(log, 'utf8')).toContain('FAILED');
      const failed = result.interactions.filter((i) => i.status === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((i) => i.pending)).toBe(true);
      expect(result.status).toBe('pass');
    } finally {
      await broker.close();
    }
  }, 60_000);
});
