import { describe, expect, it } from 'vitest';
import { type EvaluationRecord, inconclusiveBudget } from './inconclusive-budget.ts';

const missing: EvaluationRecord = { verdict: 'inconclusive', inconclusiveKind: 'missing-data' };
const waiting: EvaluationRecord = { verdict: 'inconclusive', inconclusiveKind: 'not-enough-evidence' };
const errored: EvaluationRecord = { verdict: 'inconclusive', errored: true };

describe('inconclusiveBudget', () => {
  it('counts only the trailing run of missing or errored evaluations', () => {
    const s = inconclusiveBudget([missing, missing, { verdict: 'pass' }, missing, errored]);
    expect(s.consecutive).toBe(2);
    expect(s.remaining).toBe(3);
    expect(s.action).toBe('continue');
  });

  it('applies the rollback policy when the budget is exhausted', () => {
    const s = inconclusiveBudget([missing, errored, missing, missing, errored]);
    expect(s.exhausted).toBe(true);
    expect(s.action).toBe('rollback');
    expect(s.reason).toMatch(/5 consecutive/);
  });

  it('honours a hold policy and custom counted kinds', () => {
    expect(inconclusiveBudget([waiting, waiting], { maxConsecutive: 2 }).action).toBe('continue');
    expect(
      inconclusiveBudget([waiting, waiting], {
        maxConsecutive: 2,
        counts: ['not-enough-evidence'],
        onExhausted: 'hold',
      }).action,
    ).toBe('hold');
  });

  it('an empty history has a full budget; a bad limit is rejected', () => {
    expect(inconclusiveBudget([]).remaining).toBe(5);
    expect(() => inconclusiveBudget([], { maxConsecutive: 0 })).toThrow(RangeError);
  });
});
