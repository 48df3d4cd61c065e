import { describe, expect, it } from 'vitest';
import { failing, gateOnSandbox, removeRunDirsAfterAll } from './sandbox-gate.testing.ts';

/**
 * `shipgate gate` against the embedded sandbox: a defect the contracts or the replay are
 * built to catch stops the gate there, and the later layers do not run. The other
 * outcomes are in gate.latency.e2e.test.ts and gate.promotes.e2e.test.ts.
 */
removeRunDirsAfterAll();

// Each case starts a sandbox world and runs up to four layers: minutes on a busy 2-core machine.
describe('shipgate gate against the sandbox: stopped early', { timeout: 300_000 }, () => {
  it('unit-mismatch: stopped at contracts, naming steppe; later layers not run', async () => {
    const { result } = await gateOnSandbox('unit-mismatch');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('contracts');
    expect(result.report.decision.decidedBy?.layer).toBe('contracts');
    expect(JSON.stringify(result.report.layers.contracts?.failures)).toMatch(/steppe/);
    expect(result.report.layers.replay?.status).toBe('skipped');
    expect(result.report.layers.canary?.status).toBe('skipped');
  });

  it('wrong-carrier: stopped at the replay diff (carrier change in region NW)', async () => {
    const { result } = await gateOnSandbox('wrong-carrier');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('replay');
    expect(result.report.layers.contracts?.status).toBe('pass');
    expect(failing(result.report.layers.replay!.checks)).toContain('replay/diff');
    expect(JSON.stringify(result.report.layers.replay?.diffGroups)).toMatch(/NW/);
  });

  it('dropped-orders: stopped at replay accounting (lost orders named)', async () => {
    const { result } = await gateOnSandbox('dropped-orders');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('replay');
    expect(failing(result.report.layers.replay!.checks)).toContain('replay/accounting');
    expect(result.report.layers.replay!.accounting.lost).toBeGreaterThan(0);
  });
});
