import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readReport } from '../../report/write.ts';
import { runContractsCommand } from './contracts.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'shipgate-contracts-cli-'));
  // The human summary goes to stdout; keep the test output readable.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('shipgate contracts', () => {
  it('test --defect unit-mismatch exits 1 with a report and JUnit naming steppe, the interaction and the field', async () => {
    const out = join(root, 'run-defect');
    const result = await runContractsCommand('test', {
      pactDir: join(root, 'pacts-defect'),
      out,
      defect: 'unit-mismatch',
    });
    expect(result.exitCode).toBe(1);
    const report = readReport(out);
    expect(report.command).toBe('contracts test');
    expect(report.decision.verdict).toBe('fail');
    expect(report.decision.reason).toContain('steppe');
    expect(report.layers.contracts?.failures[0]?.field).toBe('request.body.packages[0].weight');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('steppe: a tariff list for a 2.5 kg parcel (consumer spec)');
    expect(junit).toContain('request.body.packages[0].weight');
    // Only passing providers' pacts are kept as evidence; steppe's broken one is not written.
    expect(existsSync(join(out, 'pacts', 'shipgate-platform-parcelly.json'))).toBe(true);
    expect(existsSync(join(out, 'pacts', 'shipgate-platform-steppe.json'))).toBe(false);
  }, 120_000);

  it('test then verify pass against the stable sandbox (exit 0), verify keeping Pact’s output in verifier.log', async () => {
    const pactDir = join(root, 'pacts');
    const tested = await runContractsCommand('test', { pactDir, out: join(root, 'run-test') });
    expect(tested.exitCode).toBe(0);
    const out = join(root, 'run-verify');
    const verified = await runContractsCommand('verify', { pactDir, out });
    expect(verified.section.summary).toBe('Contracts hold: 20 of 20 provider verifications passed.');
    expect(verified.exitCode).toBe(0);
    expect(readFileSync(join(out, 'verifier.log'), 'utf8')).toContain('Verifying a pact between');
  }, 120_000);

  it('refuses an unknown defect and --base-url without --provider as usage errors (exit 2)', async () => {
    await expect(runContractsCommand('test', { pactDir: root, defect: 'no-such' })).rejects.toMatchObject({
      code: 'SG_UNKNOWN_DEFECT',
      exitCode: 2,
    });
    await expect(
      runContractsCommand('verify', { pactDir: root, baseUrl: 'http://127.0.0.1:1' }),
    ).rejects.toMatchObject({ code: 'SG_USAGE', exitCode: 2 });
  });
});

describe('shipgate contracts with a Pact Broker', () => {
  it('can-i-deploy asks the broker and exits 1 when it says no, without printing the token', async () => {
    const { startFakeBroker } = await import('../../../test/support/fake-broker.ts');
    const fake = await startFakeBroker({ token: 'tok-123', deployable: false });
    vi.stubEnv('PACT_BROKER_BASE_URL', fake.url);
    vi.stubEnv('PACT_BROKER_TOKEN', 'tok-123');
    try {
      const out = join(root, 'run-cid');
      const result = await runContractsCommand('can-i-deploy', {
        pactDir: root,
        out,
        pacticipant: 'shipgate-platform',
        version: '1.2.0',
        toEnvironment: 'production',
      });
      expect(result.exitCode).toBe(1);
      expect(result.section.checks[0]?.id).toBe('contracts/can-i-deploy/shipgate-platform/production');
      expect(result.section.failures[0]?.provider).toBe('steppe');
      for (const file of ['report.json', 'junit.xml', 'journal.jsonl'])
        expect(readFileSync(join(out, file), 'utf8')).not.toContain('tok-123');
    } finally {
      vi.unstubAllEnvs();
      await fake.close();
    }
  });
});
