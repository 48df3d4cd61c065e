import { describe, expect, it } from 'vitest';
import type { CellResult, PolicyCell } from './measure.ts';
import { eligibleCount, familyBest, finalists } from './select.ts';

const p = (policy: string, rollbackRate: number, medianExposed: number, family = 'flagger'): PolicyCell => ({
  policy,
  label: policy,
  family,
  runs: 100,
  rollbackRate,
  medianExposed,
  medianLate: 0,
  medianMinutes: 1,
  meanExposedCapped: medianExposed,
});

const results: CellResult[] = [
  {
    ordersPerDay: 600,
    defect: 'aa',
    defectLabel: 'A/A',
    runs: 100,
    policies: [
      p('f:a', 0.005, 0),
      p('f:b', 0.5, 0),
      p('f:c', 0.01, 0),
      p('f:d', 0.015, 0),
      p('k:a', 0, 0, 'kayenta'),
    ],
  },
  {
    ordersPerDay: 600,
    defect: 'bad',
    defectLabel: 'bad',
    runs: 100,
    policies: [
      p('f:a', 0.9, 80),
      p('f:b', 1, 0),
      p('f:c', 0.95, 40),
      p('f:d', 1, 10),
      p('k:a', 0.2, Number.POSITIVE_INFINITY, 'kayenta'),
    ],
  },
];

describe('each family’s best setting', () => {
  it('is the fewest orders exposed among settings at or under the A/A ceiling, never one above it', () => {
    expect(familyBest(results, 'flagger', 600, 'bad')?.cell.policy).toBe('f:c');
    expect(familyBest(results, 'flagger', 600, 'bad')?.aa).toBe(0.01);
    // f:d exposes fewer but rolls back 1.5% of A/A rollouts; a looser ceiling admits it.
    expect(familyBest(results, 'flagger', 600, 'bad', 0.02)?.cell.policy).toBe('f:d');
    expect(familyBest(results, 'kayenta', 600, 'bad')?.cell.policy).toBe('k:a');
    expect(familyBest(results, 'argo', 600, 'bad')).toBeUndefined();
  });

  it('counts eligible settings and keeps finalists from both the defect ranking and the calmest on A/A', () => {
    expect(eligibleCount(results, 'flagger', 600, 0.01)).toEqual({ eligible: 2, total: 4 });
    const f = finalists(results, ['bad'], 1).get(600)!;
    expect([...f].sort()).toEqual(['f:a', 'f:d', 'k:a']);
  });
});
