import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/resolve.ts';
import { startTarget } from '../../targets/gate-target.ts';
import { runScenarios } from './scenarios.ts';

describe("the gate's scenarios layer on a platform you run", () => {
  it('a fault scenario stops the gate with SG_SCENARIO_FAULTS_UNSUPPORTED before any scenario runs', async () => {
    const config = resolveConfig({
      target: {
        kind: 'urls',
        // Nothing listens: a scenario that started would fail on the network, not this way.
        stable: 'http://127.0.0.1:9/',
        canary: 'http://127.0.0.1:9/',
        metrics: ['http://127.0.0.1:9/metrics'],
      },
      layers: ['scenarios'],
      scenarios: { run: ['peak-day', 'carrier-outage'] },
    });
    const target = await startTarget(config);
    const lines: string[] = [];
    const error = await runScenarios(config, target, (line) => lines.push(line)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SG_SCENARIO_FAULTS_UNSUPPORTED', exitCode: 2 });
    expect((error as Error).message).toMatch(
      /^scenario carrier-outage injects faults .*has none for parcelly/,
    );
    // peak-day comes first in the list and was not started.
    expect(lines).toEqual([]);
  });
});
