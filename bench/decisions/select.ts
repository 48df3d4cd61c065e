import type { CellResult, PolicyCell } from './measure.ts';

/**
 * Choosing each peer family's best setting (issue 22): per traffic level, the settings
 * whose A/A false-rollback rate is at most the ceiling are eligible; per defect, the
 * eligible setting with the fewest median canary orders exposed wins (ties: higher
 * detection, then fewer mean orders exposed). Pure, so the published table and the
 * search that feeds it use the same rule.
 */
export const FRR_CEILING = 0.01;
/** The search phase runs fewer rollouts, so it keeps settings up to twice the ceiling for the full run to decide. */
export const SEARCH_CEILING = 0.02;
export const FAMILIES = ['flagger', 'argo', 'kayenta', 'flagger-synthetic'] as const;

export interface Best {
  cell: PolicyCell;
  /** The setting's A/A false-rollback rate at this traffic level. */
  aa: number;
}

function cellOf(results: readonly CellResult[], traffic: number, defect: string): CellResult | undefined {
  return results.find((r) => r.ordersPerDay === traffic && r.defect === defect);
}

function better(a: PolicyCell, b: PolicyCell): boolean {
  if (a.medianExposed !== b.medianExposed) return a.medianExposed < b.medianExposed;
  if (a.rollbackRate !== b.rollbackRate) return a.rollbackRate > b.rollbackRate;
  return a.meanExposedCapped < b.meanExposedCapped;
}

/** The family's settings ranked best first for one cell, among those eligible at `ceiling`. */
export function ranked(
  results: readonly CellResult[],
  family: string,
  traffic: number,
  defect: string,
  ceiling = FRR_CEILING,
): Best[] {
  const aa = cellOf(results, traffic, 'aa');
  const c = cellOf(results, traffic, defect);
  if (!aa || !c) return [];
  const aaRate = new Map(aa.policies.map((p) => [p.policy, p.rollbackRate]));
  return c.policies
    .filter((p) => p.family === family && (aaRate.get(p.policy) ?? 1) <= ceiling)
    .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : a.policy < b.policy ? -1 : 1))
    .map((cell) => ({ cell, aa: aaRate.get(cell.policy)! }));
}

export function familyBest(
  results: readonly CellResult[],
  family: string,
  traffic: number,
  defect: string,
  ceiling = FRR_CEILING,
): Best | undefined {
  return ranked(results, family, traffic, defect, ceiling)[0];
}

/**
 * The settings worth running at full count per traffic level: each family's `k` best
 * per defect at the search ceiling, plus, on A/A, its `k` settings with the fewest
 * false rollbacks (so a family always has a candidate for the ceiling).
 */
export function finalists(
  search: readonly CellResult[],
  defects: readonly string[],
  k = 3,
): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const traffic of new Set(search.map((r) => r.ordersPerDay))) {
    const ids = new Set<string>();
    for (const family of FAMILIES) {
      for (const d of defects)
        for (const b of ranked(search, family, traffic, d, SEARCH_CEILING).slice(0, k))
          ids.add(b.cell.policy);
      const aa = cellOf(search, traffic, 'aa');
      const calm = (aa?.policies ?? [])
        .filter((p) => p.family === family)
        .sort((a, b) => a.rollbackRate - b.rollbackRate || (a.policy < b.policy ? -1 : 1));
      for (const p of calm.slice(0, k)) ids.add(p.policy);
    }
    out.set(traffic, ids);
  }
  return out;
}

/** How many of a family's settings stay under the ceiling on A/A at a traffic level, of how many run. */
export function eligibleCount(
  results: readonly CellResult[],
  family: string,
  traffic: number,
  ceiling: number,
): { eligible: number; total: number } {
  const aa = cellOf(results, traffic, 'aa');
  const mine = (aa?.policies ?? []).filter((p) => p.family === family);
  return { eligible: mine.filter((p) => p.rollbackRate <= ceiling).length, total: mine.length };
}
