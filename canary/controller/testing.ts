import { seededRandom } from '../../core/prng.ts';
import type { Actuator, ActuatorState } from '../actuators/actuator.ts';
import type { CanaryEvent } from '../journal/events.ts';
import type { CanaryJournal } from '../journal/journal.ts';
import type { EventsMetric, MetricDecl } from '../metrics/catalogue.ts';
import type { MetricSource, SourceSnapshot } from '../sources/source.ts';

/** Test doubles for the rollout loop (imported by tests and test fixtures only). */

export const TEST_METRICS: MetricDecl[] = [
  {
    id: 'error_rate',
    title: 'Order processing errors',
    description: 'errors',
    kind: 'events',
    bad: { series: 'errors_total' },
    total: { series: 'orders_total' },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  } satisfies EventsMetric,
];

/**
 * A source over simulated cumulative counters: each snapshot adds `perSnapshot` orders,
 * split by the actuator's current weight, with a bad-event rate per version. `down`
 * makes it answer missing (an outage), as the real sources do.
 */
export function simulatedSource(opts: {
  weight: () => number;
  perSnapshot?: number;
  badRate: { canary: number; baseline: number };
  down?: () => boolean;
  seed?: number;
  now?: () => number;
}): MetricSource & { snapshots: number } {
  const rand = seededRandom(opts.seed ?? 7);
  const totals = { canary: { bad: 0, total: 0 }, stable: { bad: 0, total: 0 } };
  const source = {
    name: 'direct-scrape' as const,
    snapshots: 0,
    async snapshot(metrics: readonly MetricDecl[]): Promise<SourceSnapshot> {
      source.snapshots++;
      const n = opts.perSnapshot ?? 200;
      const w = opts.weight() / 100;
      for (let i = 0; i < n; i++) {
        const v = rand() < w ? 'canary' : 'stable';
        totals[v].total++;
        if (rand() < (v === 'canary' ? opts.badRate.canary : opts.badRate.baseline)) totals[v].bad++;
      }
      const at = opts.now?.() ?? Date.now();
      const down = opts.down?.() ?? false;
      const reading = (v: 'canary' | 'stable') =>
        down
          ? { ok: false as const, missing: { kind: 'error' as const, reason: 'connection refused' } }
          : { ok: true as const, value: { sum: { ...totals[v] }, parts: { a: { ...totals[v] } } } };
      return {
        source: 'direct-scrape',
        at,
        metrics: Object.fromEntries(
          metrics.map((m) => [
            m.id,
            { kind: 'events' as const, byVersion: { canary: reading('canary'), stable: reading('stable') } },
          ]),
        ),
      };
    },
  };
  return source;
}

/** An in-memory router: idempotent promote/rollback, counting what actually changed. */
export function memoryActuator(): Actuator & {
  weight: number;
  phase: ActuatorState['phase'];
  changes: string[];
} {
  const a = {
    name: 'memory',
    weight: 0,
    phase: 'stable' as ActuatorState['phase'],
    changes: [] as string[],
    async setWeight(weight: number) {
      if (a.weight !== weight) a.changes.push(`weight ${weight}`);
      a.weight = weight;
      a.phase = 'progressing';
      return a.state();
    },
    async promote() {
      if (a.phase !== 'promoted') a.changes.push('promote');
      a.weight = 100;
      a.phase = 'promoted';
      return a.state();
    },
    async rollback() {
      if (a.phase !== 'rolled_back') a.changes.push('rollback');
      a.weight = 0;
      a.phase = 'rolled_back';
      return a.state();
    },
    async state(): Promise<ActuatorState> {
      return { weight: a.weight, phase: a.phase };
    },
  };
  return a;
}

export function memoryJournal(existing: CanaryEvent[] = []): CanaryJournal & { events: CanaryEvent[] } {
  const events = [...existing];
  return {
    file: ':memory:',
    existing: [...existing],
    repairedBytes: 0,
    events,
    append: (e) => events.push(e),
  };
}
