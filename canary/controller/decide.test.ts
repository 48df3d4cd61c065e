import { describe, expect, it } from 'vitest';
import type { JudgeResult } from '../judges/types.ts';
import { resolveRollout } from './config.ts';
import { decide, type StepState } from './decide.ts';

const config = resolveRollout({
  steps: [1, 5, 100],
  minStepMs: 1000,
  minStepSamples: 10,
  maxTotalMs: 60_000,
});

const result = (verdict: JudgeResult['verdict'], kind?: JudgeResult['inconclusiveKind']): JudgeResult => ({
  judge: 'sequential',
  verdict,
  ...(kind ? { inconclusiveKind: kind } : {}),
  reason: `Judge says ${verdict}.`,
  metrics:
    verdict === 'fail'
      ? [
          {
            metricId: 'processing_over_slo',
            title: 'Orders slower than the processing SLO',
            verdict: 'fail',
            test: 'sequential-split-binomial',
            canary: { value: 0.5, samples: 20 },
            baseline: { value: 0, samples: 2000 },
            statistic: { eValue: 500 },
            threshold: { name: '1/alpha', op: '>=', value: 100 },
            missingIntervals: 0,
            reason: 'worse',
          },
        ]
      : [],
});
const pass = result('pass');
const fail = result('fail');
const waiting = result('inconclusive', 'not-enough-evidence');
const missing = result('inconclusive', 'missing-data');

const state = (over: Partial<StepState> = {}): StepState => ({
  stepIndex: 0,
  stepStartedAt: 0,
  startedAt: 0,
  stepSamples: 0,
  evaluations: [],
  ...over,
});
const done = { stepStartedAt: 0, stepSamples: 10 };

describe('decide', () => {
  it('rolls back on a failed judgement at any step, naming the metric', () => {
    for (const stepIndex of [0, 1, 2]) {
      const action = decide(state({ stepIndex }), fail, config, 10);
      expect(action).toMatchObject({
        type: 'rollback',
        cause: 'judge-failed',
        triggeredBy: ['processing_over_slo'],
      });
    }
  });

  it('rolls back on failure even when the step is complete and the deadline passed', () => {
    expect(decide(state({ stepIndex: 2, ...done }), fail, config, 100_000).type).toBe('rollback');
  });

  it('waits while a step lacks time or canary orders', () => {
    expect(decide(state({ stepSamples: 50 }), pass, config, 500)).toMatchObject({ type: 'wait' });
    expect(decide(state({ stepSamples: 3 }), pass, config, 5000)).toMatchObject({ type: 'wait' });
    expect(decide(state({ stepSamples: 3 }), pass, config, 5000).reason).toMatch(/7 more canary orders/);
  });

  it('advances a complete step on pass or on no-alarm-yet', () => {
    expect(decide(state(done), pass, config, 1000)).toMatchObject({ type: 'advance', toStep: 1, weight: 5 });
    expect(decide(state({ ...done, stepIndex: 1 }), pass, config, 1000)).toMatchObject({
      type: 'advance',
      toStep: 2,
      weight: 100,
    });
    expect(decide(state(done), waiting, config, 1000)).toMatchObject({ type: 'advance', toStep: 1 });
  });

  it('enters the last step only on a pass: at 100% there is no baseline left to compare with', () => {
    expect(decide(state({ ...done, stepIndex: 1 }), waiting, config, 1000)).toMatchObject({ type: 'wait' });
    expect(decide(state({ ...done, stepIndex: 1 }), waiting, config, 1000).reason).toMatch(/needs a pass/);
  });

  it('promotes only at the last step, only on a pass', () => {
    const last = state({ ...done, stepIndex: 2 });
    expect(decide(last, pass, config, 1000)).toMatchObject({ type: 'promote' });
    expect(decide(last, waiting, config, 1000)).toMatchObject({ type: 'wait' });
    expect(decide(last, missing, config, 1000)).toMatchObject({ type: 'wait' });
    // A pass before the step is complete does not promote.
    expect(decide(state({ stepIndex: 2, stepSamples: 1 }), pass, config, 1000).type).toBe('wait');
  });

  it('never promotes without a pass, whatever the state', () => {
    const verdicts = [waiting, missing, fail, result('inconclusive', 'marginal')];
    for (const r of verdicts)
      for (const stepIndex of [0, 1, 2])
        for (const now of [0, 999, 1000, 59_999, 60_000, 1e9])
          for (const stepSamples of [0, 10, 1e6])
            for (const errored of [false, true])
              expect(decide(state({ stepIndex, stepSamples }), r, config, now, errored).type).not.toBe(
                'promote',
              );
    // And an errored evaluation never promotes, even if a stale pass is handed in.
    expect(decide(state({ ...done, stepIndex: 2 }), pass, config, 1000, true).type).not.toBe('promote');
  });

  it('waits on missing data within the budget, then applies the policy', () => {
    const four = Array.from({ length: 4 }, () => ({
      verdict: 'inconclusive' as const,
      inconclusiveKind: 'missing-data' as const,
    }));
    expect(decide(state({ evaluations: four.slice(0, 3) }), missing, config, 10)).toMatchObject({
      type: 'wait',
    });
    expect(decide(state({ evaluations: four }), missing, config, 10)).toMatchObject({
      type: 'rollback',
      cause: 'inconclusive-budget',
    });
    const hold = resolveRollout({
      ...config,
      inconclusive: { maxConsecutive: 5, onExhausted: 'hold', counts: ['missing-data'] },
    });
    expect(decide(state({ evaluations: four }), missing, hold, 10)).toMatchObject({ type: 'hold' });
    // Errored evaluations count against the same budget.
    expect(decide(state({ evaluations: four }), waiting, config, 10, true)).toMatchObject({
      type: 'rollback',
    });
  });

  it('a usable evaluation resets the budget', () => {
    const history = [
      ...Array.from({ length: 4 }, () => ({
        verdict: 'inconclusive' as const,
        inconclusiveKind: 'missing-data' as const,
      })),
      { verdict: 'pass' as const },
    ];
    expect(decide(state({ evaluations: history }), missing, config, 10)).toMatchObject({ type: 'wait' });
  });

  it('does not advance on missing data even when the step is complete', () => {
    expect(decide(state(done), missing, config, 5000)).toMatchObject({ type: 'wait' });
  });

  it('rolls back at the maximum duration without a pass', () => {
    expect(decide(state(done), waiting, config, 60_000)).toMatchObject({
      type: 'rollback',
      cause: 'max-duration',
    });
    expect(decide(state({ ...done, stepIndex: 2 }), waiting, config, 60_000)).toMatchObject({
      type: 'rollback',
      cause: 'max-duration',
    });
    // ...but a complete last step that passes is promoted even at the deadline.
    expect(decide(state({ ...done, stepIndex: 2 }), pass, config, 60_000)).toMatchObject({ type: 'promote' });
  });
});
