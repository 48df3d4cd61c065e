import type { Scenario } from '../catalogue/scenario.ts';
import type { SloVerdict } from './judge.ts';
import { scenarioOrders } from './orders.ts';
import { type RunScenarioOptions, runScenario, type ScenarioResult } from './runner.ts';

/**
 * The same scenario — same seed, the very same orders — on two builds, one after the
 * other (so they do not compete for the machine), and the difference in each SLO.
 */
export interface SloDifference {
  id: SloVerdict['id'];
  title: string;
  unit: SloVerdict['unit'];
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline; null when either has no data. */
  delta: number | null;
  baselineStatus: SloVerdict['status'];
  candidateStatus: SloVerdict['status'];
}

export interface Comparison {
  baseline: ScenarioResult;
  candidate: ScenarioResult;
  differences: SloDifference[];
}

export function compareSlos(
  baseline: readonly SloVerdict[],
  candidate: readonly SloVerdict[],
): SloDifference[] {
  return candidate.map((c) => {
    const b = baseline.find((x) => x.id === c.id);
    const bv = b?.observed ?? null;
    return {
      id: c.id,
      title: c.title,
      unit: c.unit,
      baseline: bv,
      candidate: c.observed,
      delta: bv === null || c.observed === null ? null : c.observed - bv,
      baselineStatus: b?.status ?? 'inconclusive',
      candidateStatus: c.status,
    };
  });
}

export async function compareBuilds(
  options: Omit<RunScenarioOptions, 'version' | 'orders'> & {
    scenario: Scenario;
    versions: ['stable' | 'canary', 'stable' | 'canary'];
    /** Per version, a target; default `target` for both. */
    targets?: Partial<Record<'stable' | 'canary', RunScenarioOptions['target']>>;
  },
): Promise<Comparison> {
  const orders = scenarioOrders({
    load: options.scenario.load,
    seed: options.seed ?? options.scenario.name,
    scale: options.scale ?? 1,
  });
  const [first, second] = options.versions;
  const run = (version: 'stable' | 'canary', file: string) =>
    runScenario({
      ...options,
      version,
      orders,
      resultsFileName: file,
      ...(options.targets?.[version] ? { target: options.targets[version] } : {}),
    });
  const baseline = await run(first, `results-${first}.jsonl`);
  const candidate = await run(second, `results-${second}.jsonl`);
  return { baseline, candidate, differences: compareSlos(baseline.slos, candidate.slos) };
}
