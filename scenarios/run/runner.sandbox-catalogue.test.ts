import { describe, expect, it } from 'vitest';
import { fastOnSandbox, sloOf } from '../../harness/targets/sandbox-scenario.testing.ts';
import { scenarioByName } from '../catalogue/catalogue.ts';
import type { Scenario } from '../catalogue/scenario.ts';
import { runScenario } from './runner.ts';

/**
 * The rest of the catalogue against the embedded sandbox, end to end (settings:
 * harness/targets/sandbox-scenario.testing.ts).
 */
describe('scenarios against the embedded sandbox (scaled down): the rest of the catalogue', () => {
  it('the other catalogue scenarios run end to end, faults set and cleared', {
    timeout: 90_000,
  }, async () => {
    const names = ['black-friday', 'slow-carrier', 'inventory-timeouts', 'cutoff-rush'];
    const scales: Record<string, number> = {
      'black-friday': 0.005,
      'slow-carrier': 0.05,
      'inventory-timeouts': 0.05,
      'cutoff-rush': 0.03,
    };
    const results = [];
    // One after another: four sandboxes at once would measure the machine.
    for (const name of names) {
      const options = fastOnSandbox(name, scales[name]!);
      results.push(await runScenario({ ...options, settleTimeoutMs: 3_000, version: 'stable' }));
    }
    for (const [i, r] of results.entries()) {
      const scenario = scenarioByName(names[i]!) as Scenario;
      expect(r.orders.sent, r.scenario).toBeGreaterThan(0);
      expect(r.orders.lost, r.scenario).toBe(0);
      expect(r.faults, r.scenario).toHaveLength(scenario.faults.length);
      expect(r.slos.map((s) => s.id).sort(), r.scenario).toEqual(
        scenario.expectations.map((e) => e.id).sort(),
      );
      expect(sloOf(r, 'processing_p95_seconds').observed, r.scenario).not.toBeNull();
      // The sandbox's reports say everything its SLOs need: nothing is skipped.
      expect(
        r.slos.filter((s) => s.status === 'skipped'),
        r.scenario,
      ).toEqual([]);
    }
    // Cutoff misses are read from the sandbox's reports through its built-in adapter.
    const rush = results[names.indexOf('cutoff-rush')]!;
    expect(sloOf(rush, 'cutoff_missed_rate').evidence.source).toBe('outcomes');
    expect(sloOf(rush, 'cutoff_missed_rate').samples).toBeGreaterThan(0);
  });
});
