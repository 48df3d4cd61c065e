import { describe, expect, it } from 'vitest';
import { fastOnSandbox, sloOf } from '../../harness/targets/sandbox-scenario.testing.ts';
import { sandboxScenarioTarget } from '../../harness/targets/sandbox-scenario.ts';
import { runScenario } from './runner.ts';

/**
 * A slow canary and a carrier outage against the embedded sandbox: the SLO missed is named
 * with its values, the failover is reported (settings: harness/targets/sandbox-scenario.testing.ts).
 */
describe('scenarios against the embedded sandbox (scaled down): a slow build, a carrier outage', () => {
  it('the canary with latency-under-load misses the peak-day latency SLO, named with its values', {
    timeout: 60_000,
  }, async () => {
    const r = await runScenario({
      ...fastOnSandbox('peak-day', 0.01),
      version: 'canary',
      target: sandboxScenarioTarget({ latency: 'none', canaryDefect: 'latency-under-load' }),
    });
    expect(r.status).toBe('fail');
    const p95 = sloOf(r, 'processing_p95_seconds');
    expect(p95.status).toBe('fail');
    expect(p95.observed!).toBeGreaterThan(1);
    expect(p95.message).toMatch(
      /^Order processing p95 was \d+\.\d+ s \(\d+ orders\), over the SLO <= 1\.00 s\.$/,
    );
  });

  it('carrier-outage: the platform fails over to the other carriers, and the report says so', {
    timeout: 60_000,
  }, async () => {
    const r = await runScenario({ ...fastOnSandbox('carrier-outage', 0.1), version: 'stable' });
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]).toMatch(/^parcelly: outage \(503\) \d\d:\d\d–\d\d:\d\d$/);
    const [f] = r.failover;
    expect(f!.processedDuring).toBeGreaterThan(0);
    expect(f!.shippedDuring.parcelly ?? 0).toBe(0);
    expect(f!.failedOver).toBe(true);
    expect(r.observations.join('\n')).toContain('the platform failed over');
    expect(sloOf(r, 'shipped_rate').status).toBe('pass');
  });
});
