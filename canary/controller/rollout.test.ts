import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.ts';
import { runRollout } from './rollout.ts';
import { memoryActuator, memoryJournal, simulatedSource, TEST_METRICS } from './testing.ts';

const config = {
  steps: [1, 5, 25, 50, 100],
  minStepMs: 60_000,
  minStepSamples: 5,
  maxTotalMs: 3_600_000,
  intervalMs: 10_000,
};

function setup(badRate: { canary: number; baseline: number }, down?: () => boolean) {
  const clock = manualClock(1_000_000);
  const actuator = memoryActuator();
  const source = simulatedSource({
    weight: () => actuator.weight,
    badRate,
    down,
    now: clock.now,
    perSnapshot: 400,
  });
  const journal = memoryJournal();
  return { clock, actuator, source, journal };
}

describe('runRollout (simulated source, manual clock)', () => {
  it('promotes an A/A canary through every step, exactly once', async () => {
    const s = setup({ canary: 0.02, baseline: 0.02 });
    const outcome = await runRollout({ ...s, metrics: TEST_METRICS, config, judge: undefined });
    expect(outcome.outcome).toBe('promoted');
    expect(outcome.exitCode).toBe(0);
    expect(s.actuator.changes).toEqual([
      'weight 1',
      'weight 5',
      'weight 25',
      'weight 50',
      'weight 100',
      'promote',
    ]);
    const decisions = s.journal.events.filter((e) => e.type === 'canary.decision');
    expect(decisions.filter((d) => d.type === 'canary.decision' && d.action.type === 'promote')).toHaveLength(
      1,
    );
    expect(outcome.run.steps.map((st) => st.weight)).toEqual([1, 5, 25, 50, 100]);
  });

  it('rolls back a bad canary early, exit 1, naming the metric', async () => {
    const s = setup({ canary: 0.3, baseline: 0.02 });
    const outcome = await runRollout({ ...s, metrics: TEST_METRICS, config });
    expect(outcome.outcome).toBe('rolled_back');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.action).toMatchObject({
      type: 'rollback',
      cause: 'judge-failed',
      triggeredBy: ['error_rate'],
    });
    expect(s.actuator.changes.at(-1)).toBe('rollback');
    expect(s.actuator.changes).not.toContain('promote');
  });

  it('a source outage mid-rollout exhausts the budget and rolls back, never promotes', async () => {
    let snapshots = 0;
    const s = setup({ canary: 0.02, baseline: 0.02 }, () => ++snapshots > 12);
    const outcome = await runRollout({ ...s, metrics: TEST_METRICS, config });
    expect(outcome.outcome).toBe('rolled_back');
    expect(outcome.exitCode).toBe(3);
    expect(outcome.action).toMatchObject({ type: 'rollback', cause: 'inconclusive-budget' });
    const evaluations = s.journal.events.filter((e) => e.type === 'canary.evaluation');
    expect(
      evaluations
        .slice(-5)
        .every((e) => e.type === 'canary.evaluation' && e.result.verdict === 'inconclusive'),
    ).toBe(true);
  });

  it('resumes from any prefix of a journal and ends with exactly one terminal change', async () => {
    const s = setup({ canary: 0.3, baseline: 0.02 });
    await runRollout({ ...s, metrics: TEST_METRICS, config });
    const full = s.journal.events;
    for (let cut = 1; cut < full.length; cut++) {
      const prefix = full.slice(0, cut);
      const actuator = memoryActuator();
      // The target's state as of the prefix: replay the actuated calls (and an in-flight one may or may not have landed).
      for (const e of prefix) {
        if (e.type !== 'canary.actuated') continue;
        if (e.op === 'set-weight') await actuator.setWeight(e.weight!);
        if (e.op === 'rollback') await actuator.rollback();
        if (e.op === 'promote') await actuator.promote();
      }
      actuator.changes.length = 0;
      const clock = manualClock((prefix.at(-1)?.t ?? 0) + 1);
      const source = simulatedSource({
        weight: () => actuator.weight,
        badRate: { canary: 0.3, baseline: 0.02 },
        now: clock.now,
        perSnapshot: 400,
      });
      const journal = memoryJournal(prefix);
      const outcome = await runRollout({ source, actuator, journal, clock, metrics: TEST_METRICS, config });
      const terminal = journal.events.filter(
        (e) => e.type === 'canary.decision' && (e.action.type === 'rollback' || e.action.type === 'promote'),
      );
      expect(terminal, `cut at ${cut}`).toHaveLength(1);
      expect(journal.events.filter((e) => e.type === 'canary.finished')).toHaveLength(1);
      expect(outcome.outcome).toBe('rolled_back');
      expect(actuator.changes.filter((c) => c === 'rollback' || c === 'promote').length).toBeLessThanOrEqual(
        1,
      );
      expect(actuator.phase).toBe('rolled_back');
    }
  });
});

describe('canary report section', () => {
  it('a rolled-back rollout yields a valid report section with steps, series, decision and checks', async () => {
    const { validator } = await import('../../core/schema/validate.ts');
    const { CanaryLayer } = await import('../../core/report/model.ts');
    const { canarySection } = await import('./report.ts');
    const s = setup({ canary: 0.3, baseline: 0.02 });
    const outcome = await runRollout({ ...s, metrics: TEST_METRICS, config });
    const section = canarySection(outcome.run, outcome.config, { source: 'direct-scrape', clock: 'virtual' });
    expect(section.status).toBe('fail');
    expect(section.decision).toMatchObject({ action: 'rollback', triggeredBy: 'canary/error_rate' });
    expect(section.steps[0]).toMatchObject({ index: 0, weight: 1 });
    expect(section.series[0]!.t.length).toBe(section.series[0]!.canary.length);
    expect(section.checks[0]).toMatchObject({ id: 'canary/error_rate', status: 'fail' });
    const validation = validator(CanaryLayer)(JSON.parse(JSON.stringify(section)));
    expect(validation.ok, validation.ok ? '' : JSON.stringify(validation.issues)).toBe(true);
  });
});

describe('actuator failure during the rollback', () => {
  it('fails loudly (SG_ACTUATOR_FAILED, no finished event), and a resumed run completes exactly one rollback', async () => {
    const { withRetries } = await import('../actuators/actuator.ts');
    const { isShipgateError } = await import('../../core/errors.ts');
    const s = setup({ canary: 0.3, baseline: 0.02 });
    const broken = memoryActuator();
    const failing = {
      ...broken,
      name: 'broken router',
      rollback: async () => Promise.reject(new Error('500 Internal Server Error')),
    };
    const source = simulatedSource({
      weight: () => broken.weight,
      badRate: { canary: 0.3, baseline: 0.02 },
      now: s.clock.now,
      perSnapshot: 400,
    });
    const error = await runRollout({
      source,
      actuator: withRetries(failing, { attempts: 3 }, async () => {}),
      journal: s.journal,
      clock: s.clock,
      metrics: TEST_METRICS,
      config,
    }).catch((e: unknown) => e);
    expect(isShipgateError(error) && error.code).toBe('SG_ACTUATOR_FAILED');
    expect(isShipgateError(error) && error.exitCode).toBe(3);
    const types = s.journal.events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['canary.decision', 'canary.actuating', 'canary.actuation-failed']);
    expect(types).not.toContain('canary.finished');
    expect(broken.phase).not.toBe('rolled_back');

    // The router comes back: resume from the journal.
    const journal = memoryJournal(s.journal.events);
    const outcome = await runRollout({
      source,
      actuator: broken,
      journal,
      clock: s.clock,
      metrics: TEST_METRICS,
      config,
    });
    expect(outcome).toMatchObject({ outcome: 'rolled_back', resumed: true, exitCode: 1 });
    expect(broken.changes.filter((c) => c === 'rollback')).toHaveLength(1);
    expect(
      journal.events.filter((e) => e.type === 'canary.decision' && e.action.type === 'rollback'),
    ).toHaveLength(1);
  });
});

describe('hold policy', () => {
  it('an outage with onExhausted=hold freezes the weight, ends held (exit 3), neither promotes nor rolls back', async () => {
    let snapshots = 0;
    const s = setup({ canary: 0.02, baseline: 0.02 }, () => ++snapshots > 6);
    const outcome = await runRollout({
      ...s,
      metrics: TEST_METRICS,
      config: {
        ...config,
        inconclusive: { maxConsecutive: 3, onExhausted: 'hold', counts: ['missing-data'] },
      },
    });
    expect(outcome).toMatchObject({ outcome: 'held', exitCode: 3 });
    expect(outcome.action).toMatchObject({ type: 'hold', cause: 'inconclusive-budget' });
    expect(s.actuator.changes).not.toContain('rollback');
    expect(s.actuator.changes).not.toContain('promote');
    expect(s.actuator.phase).toBe('progressing');
  });
});
