import { describe, expect, it } from 'vitest';
import { gateOnSandbox, removeRunDirsAfterAll } from './sandbox-gate.testing.ts';

/** `shipgate gate` against the embedded sandbox: the clean build passes every layer. */
removeRunDirsAfterAll();

describe('shipgate gate against the sandbox: a clean build', { timeout: 300_000 }, () => {
  it('none: every layer passes and the canary is promoted', async () => {
    const { result } = await gateOnSandbox('none');
    expect(
      Object.fromEntries(
        Object.entries(result.report.layers).map(([k, v]) => [k, `${v.status}: ${v.summary}`]),
      ),
    ).toEqual({
      contracts: expect.stringMatching(/^pass/),
      replay: expect.stringMatching(/^pass/),
      scenarios: expect.stringMatching(/^pass/),
      canary: expect.stringMatching(/^pass/),
    });
    expect(result.canary?.outcome).toBe('promoted');
    expect(result.exitCode).toBe(0);
  });
});
