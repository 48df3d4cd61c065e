import type { Policy } from './policies/types.ts';
import { lateDeliveredBy, type RolloutStream, simulateRollout, withSyntheticLoad } from './simulate.ts';
import { type Defect, defaultWorld, type StepPlan } from './world.ts';

/** What one policy did over the seeded rollouts of one cell (defect × traffic). */
export interface PolicyCell {
  policy: string;
  label: string;
  /** A point of a peer's settings grid: its family and its configuration. */
  family?: string;
  config?: string;
  runs: number;
  /** Share of rollouts rolled back: false-rollback rate on A/A, detection rate otherwise. */
  rollbackRate: number;
  /** Median canary orders before the decision; a promoted bad canary counts as ∞ (it reaches everyone). */
  medianExposed: number;
  /** Median canary orders delivered late before the decision (∞ when promoted). */
  medianLate: number;
  /** Median minutes to rollback among rolled-back runs (NaN when none). */
  medianMinutes: number;
  /** Mean canary orders before the decision, promoted runs counted at the rollout's end (finite). */
  meanExposedCapped: number;
}

export interface CellResult {
  ordersPerDay: number;
  defect: string;
  defectLabel: string;
  runs: number;
  policies: PolicyCell[];
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  if (s.length % 2 === 1) return s[m]!;
  const lo = s[m - 1]!;
  const hi = s[m]!;
  return lo === hi ? lo : (lo + hi) / 2;
}

/** Deterministic per-cell seed base (FNV-1a of the cell's name). */
export function cellSeed(defect: string, ordersPerDay: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${defect}@${ordersPerDay}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function runCell(
  ordersPerDay: number,
  defect: Defect,
  plan: StepPlan,
  policies: readonly Policy[],
  runs: number,
  /** A different seed family: the settings search runs on other rollouts than the published figures. */
  salt = 0,
): CellResult {
  const world = defaultWorld(ordersPerDay);
  const seed0 = (cellSeed(defect.id, ordersPerDay) ^ salt) >>> 0;
  const rec = policies.map(() => ({
    rolled: 0,
    exposed: [] as number[],
    late: [] as number[],
    minutes: [] as number[],
    capped: 0,
  }));
  for (let r = 0; r < runs; r++) {
    const seed = (seed0 + r * 0x9e3779b1) >>> 0;
    const stream = simulateRollout(world, defect, plan, seed);
    const loaded = new Map<number, RolloutStream>();
    const streamFor = (perMinute: number | undefined) => {
      if (!perMinute) return stream;
      let s = loaded.get(perMinute);
      if (!s) {
        s = withSyntheticLoad(stream, world, defect, perMinute, seed);
        loaded.set(perMinute, s);
      }
      return s;
    };
    policies.forEach((p, i) => {
      const d = p.decide(streamFor(p.synthetic), { world, defect, plan });
      const exposed = stream.canaryOrdersUpTo[d.minute]!;
      const x = rec[i]!;
      x.capped += exposed;
      if (d.rolledBack) {
        x.rolled++;
        x.exposed.push(exposed);
        x.late.push(lateDeliveredBy(stream, d.minute));
        x.minutes.push(d.minute + 1);
      } else {
        x.exposed.push(Number.POSITIVE_INFINITY);
        x.late.push(Number.POSITIVE_INFINITY);
      }
    });
  }
  return {
    ordersPerDay,
    defect: defect.id,
    defectLabel: defect.label,
    runs,
    policies: policies.map((p, i) => {
      const x = rec[i]!;
      return {
        policy: p.id,
        label: p.label,
        ...(p.family ? { family: p.family } : {}),
        ...(p.config ? { config: p.config } : {}),
        runs,
        rollbackRate: x.rolled / runs,
        medianExposed: median(x.exposed),
        medianLate: median(x.late),
        medianMinutes: median(x.minutes),
        meanExposedCapped: x.capped / runs,
      };
    }),
  };
}
