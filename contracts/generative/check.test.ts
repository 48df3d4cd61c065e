import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProviders, startSandboxProviders } from '../../harness/targets/sandbox-providers.ts';
import { runGenerativeChecks, runsFromEnv } from './check.ts';

let sandbox: RunningProviders;
beforeAll(async () => {
  sandbox = await startSandboxProviders();
}, 30_000);
afterAll(async () => sandbox?.stop());

describe('generative contract checks against the sandbox providers', () => {
  it('every generated parcel and reservation gets a contract-valid answer or a documented refusal', async () => {
    const results = await runGenerativeChecks({
      targets: sandbox.targets,
      runs: runsFromEnv(),
      seed: 20_261_123,
    });
    console.info(
      results
        .map((r) => `${r.provider}: ${r.runs} runs, ${r.succeeded} answered, ${r.refused} refused`)
        .join('; '),
    );
    for (const result of results) {
      expect({
        provider: result.provider,
        error: result.error,
        counterexample: result.counterexample,
      }).toEqual({
        provider: result.provider,
        error: undefined,
        counterexample: undefined,
      });
      expect(result.passed).toBe(true);
      // Both kinds of answer happen: the generators reach past the limits and within them.
      expect(result.succeeded).toBeGreaterThan(0);
      expect(result.refused).toBeGreaterThan(0);
    }
    expect(results.map((r) => r.provider)).toEqual(['parcelly', 'labelfast', 'steppe', 'inventory']);
  }, 120_000);

  it('reports a provider that answers with an undocumented error as a broken property, with the shrunk input', async () => {
    const steppe = sandbox.targets.find((t) => t.provider === 'steppe')!;
    const [result] = await runGenerativeChecks({
      targets: [{ ...steppe, baseUrl: `${steppe.baseUrl}/no-such-prefix` }],
      runs: 5,
      seed: 1,
    });
    expect(result?.passed).toBe(false);
    expect(result?.counterexample).toBeDefined();
    expect(result?.error).toMatch(/steppe quote/);
  }, 60_000);
});
