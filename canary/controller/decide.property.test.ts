import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JudgeResult } from '../judges/types.ts';
import { resolveRollout } from './config.ts';
import { decide } from './decide.ts';

const verdict = fc.constantFrom<Pick<JudgeResult, 'verdict' | 'inconclusiveKind'>>(
  { verdict: 'pass' },
  { verdict: 'fail' },
  { verdict: 'inconclusive', inconclusiveKind: 'missing-data' },
  { verdict: 'inconclusive', inconclusiveKind: 'not-enough-evidence' },
  { verdict: 'inconclusive', inconclusiveKind: 'marginal' },
);
const result = (v: Pick<JudgeResult, 'verdict' | 'inconclusiveKind'>): JudgeResult => ({
  judge: 'sequential',
  reason: 'r',
  metrics: [],
  ...v,
});

const arbitraryCase = fc.record({
  steps: fc
    .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 })
    .map((s) => s.sort((a, b) => a - b)),
  minStepMs: fc.integer({ min: 0, max: 10_000 }),
  minStepSamples: fc.integer({ min: 0, max: 100 }),
  maxTotalMs: fc.integer({ min: 1, max: 100_000 }),
  stepPick: fc.nat(),
  stepStartedAt: fc.integer({ min: 0, max: 50_000 }),
  now: fc.integer({ min: 0, max: 200_000 }),
  stepSamples: fc.integer({ min: 0, max: 1000 }),
  history: fc.array(verdict, { maxLength: 10 }),
  current: verdict,
  errored: fc.boolean(),
});

describe('decide (properties)', () => {
  it('promotes only on a pass, at the last step, with the step complete and the analysis not errored', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const config = resolveRollout({
          steps: c.steps,
          minStepMs: c.minStepMs,
          minStepSamples: c.minStepSamples,
          maxTotalMs: c.maxTotalMs,
        });
        const stepIndex = c.stepPick % c.steps.length;
        const state = {
          stepIndex,
          stepStartedAt: c.stepStartedAt,
          startedAt: 0,
          stepSamples: c.stepSamples,
          evaluations: c.history,
        };
        const action = decide(state, result(c.current), config, c.now, c.errored);
        if (action.type === 'promote') {
          expect(c.current.verdict).toBe('pass');
          expect(c.errored).toBe(false);
          expect(stepIndex).toBe(c.steps.length - 1);
          expect(c.now - c.stepStartedAt).toBeGreaterThanOrEqual(c.minStepMs);
          expect(c.stepSamples).toBeGreaterThanOrEqual(c.minStepSamples);
        }
        if (c.current.verdict === 'fail') expect(action.type).toBe('rollback');
        if (action.type === 'advance') {
          expect(action.toStep).toBe(stepIndex + 1);
          expect(c.current.verdict).not.toBe('fail');
          if (action.toStep === c.steps.length - 1) expect(c.current.verdict).toBe('pass');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
