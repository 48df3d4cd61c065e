import { scenarioByName } from '../../scenarios/catalogue/catalogue.ts';
import type { runScenario } from '../../scenarios/run/runner.ts';
import { sandboxScenarioTarget } from './sandbox-scenario.ts';

/**
 * The catalogue's scenarios against the embedded sandbox, time-compressed and scaled
 * down so each test stays within ~40 s on a shared 2-core machine (runner.sandbox*.test.ts):
 * `scale` shrinks the volume, and the speed is set so 4 settle days pass in ~24 s
 * (14 400×). Simulated API latency is off (`latency: 'none'`): on a machine this busy it
 * would measure the machine, not the build. Fault multipliers then act on zero, so the
 * slow-carrier fault's fixed +150 ms is what remains of it.
 */
const TEST_SPEED = 14_400;

export const fastOnSandbox = (name: string, scale: number) => {
  const scenario = scenarioByName(name)!;
  return {
    scenario,
    scale,
    speedOverride: TEST_SPEED * scale,
    target: sandboxScenarioTarget({ latency: 'none' }),
    settleTimeoutMs: 12_000,
  };
};

export const sloOf = (r: Awaited<ReturnType<typeof runScenario>>, id: string) =>
  r.slos.find((s) => s.id === id)!;
