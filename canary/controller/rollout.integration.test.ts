import { describe, expect, it } from 'vitest';
import { type Measured, rolloutAgainstSandbox } from '../../test/support/sandbox-rollout.ts';

/**
 * The canary gate against the in-process sandbox with real order traffic (generated
 * orders POSTed to the router), the direct-scrape source and the router actuator.
 * See test/support/sandbox-rollout.ts for the speed, steps and traffic used.
 */

function log(name: string, m: Measured): void {
  const h = (ms: number | null) =>
    ms === null ? 'none' : `${((ms - m.decidedAt) / 3_600_000).toFixed(1)} h after the decision`;
  process.stdout.write(
    `[canary ${name}] ${m.outcome.outcome} (${m.outcome.action.type}${'cause' in m.outcome.action ? `/${m.outcome.action.cause}` : ''}) after ${(m.realMs / 1000).toFixed(1)} s real, ` +
      `steps ${m.outcome.run.steps.map((s) => `${s.weight}%`).join('→')}, canary orders ${m.canaryOrders}, affected ${m.affected}, ` +
      `first late canary delivery: ${h(m.firstLateDelivery)}, first predicted-late: ${h(m.firstPredictedLate)}, earliest canary promise: ${h(m.earliestPromise)}\n`,
  );
}

describe('canary rollout against the sandbox (direct scrape)', () => {
  it('rolls back the latency-under-load canary before any canary order is delivered late', async () => {
    const m = await rolloutAgainstSandbox('latency-under-load');
    log('latency-under-load', m);
    expect(m.outcome.outcome).toBe('rolled_back');
    expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'judge-failed' });
    expect(m.outcome.exitCode).toBe(1);
    if (m.firstLateDelivery !== null) expect(m.firstLateDelivery).toBeGreaterThan(m.decidedAt);
    // Stronger: decided before the earliest promise of any canary order, so no canary
    // order can have been delivered late yet.
    expect(m.earliestPromise).not.toBeNull();
    expect(m.decidedAt).toBeLessThan(m.earliestPromise!);
  }, 60_000);

  it('rolls back the wrong-carrier canary', async () => {
    const m = await rolloutAgainstSandbox('wrong-carrier');
    log('wrong-carrier', m);
    expect(m.outcome.outcome).toBe('rolled_back');
    expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'judge-failed' });
    expect(m.affected).toBeGreaterThan(0);
    expect(m.csvHeader).toMatch(/^order_id,region,carrier/);
  }, 60_000);

  it('promotes the A/A canary (no defect)', async () => {
    const m = await rolloutAgainstSandbox('none');
    log('none', m);
    expect(m.outcome.outcome).toBe('promoted');
    expect(m.outcome.exitCode).toBe(0);
    expect(m.outcome.run.steps.map((s) => s.weight)).toEqual([20, 50, 100]);
  }, 90_000);
});
