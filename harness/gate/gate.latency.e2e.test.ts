import { describe, expect, it } from 'vitest';
import { gateOnSandbox, removeRunDirsAfterAll } from './sandbox-gate.testing.ts';

/**
 * `shipgate gate` against the embedded sandbox: a canary that is slow only under load
 * passes the contracts and the replay, and is stopped by the load scenario or the canary.
 */
removeRunDirsAfterAll();

describe('shipgate gate against the sandbox: a slow build', { timeout: 300_000 }, () => {
  it('latency-under-load: passes contracts and replay, stopped at scenarios or canary', async () => {
    const { result } = await gateOnSandbox('latency-under-load');
    expect(result.exitCode).toBe(1);
    expect(result.report.layers.contracts?.status).toBe('pass');
    expect(result.report.layers.replay?.status).toBe('pass');
    expect(['scenarios', 'canary']).toContain(result.stoppedAt);
  });
});
