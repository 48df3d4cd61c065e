import type { CanaryEvent } from '../../canary/journal/events.ts';
import { CHECK_STATUSES, type CheckStatus, VERDICTS } from '../../core/report/model.ts';
import type { ReplayProgress } from '../../scenarios/replay/types.ts';
import type { ScenarioProgress } from '../../scenarios/run/runner.ts';
import type { GateLayer } from '../config/layers.ts';
import { runningTotals, type SelfMetrics } from './self-metrics.ts';

/**
 * What the commands tell shipgate's own metrics, as plain callbacks: the gate's
 * progress hooks (harness/gate/progress.ts) and the replay, scenario and canary
 * commands call these; nothing else needs to know a registry exists.
 */
export interface RunEvents {
  /**
   * What the run is about to do: its series start at zero, so the dashboard's
   * increase() sees the first verdict or order (a series that first appears at 1 has
   * no increase) — Prometheus' advice for series known in advance.
   */
  begin(plan: { layers: readonly GateLayer[]; scenarios?: readonly string[] }): void;
  /** Checks a layer is about to judge (ids within the layer): their series start at zero too. */
  expectChecks(layer: GateLayer, ids: readonly string[]): void;
  /** A layer's section is final: its verdict (unless skipped) and every check. */
  layerFinished(layer: GateLayer, section: SectionLike): void;
  /** The candidate replay's running totals. */
  replay(progress: Pick<ReplayProgress, 'lines' | 'orders'>): void;
  scenario(progress: ScenarioProgress): void;
  /** A scenario ended: its SLOs' observed values and targets, progress 1. */
  scenarioFinished(result: ScenarioOutcome): void;
  canary(event: CanaryEvent): void;
}

export interface SectionLike {
  status: CheckStatus;
  checks: readonly { id: string; status: CheckStatus }[];
}

export interface ScenarioOutcome {
  scenario: string;
  orders?: { sent: number; failed: number; lost: number } | undefined;
  slos: readonly { id: string; target: number; observed: number | null }[];
}

const REPLAY_OUTCOMES = ['read', 'sent', 'failed', 'quarantined', 'lost'] as const;
const SCENARIO_OUTCOMES = ['sent', 'failed', 'lost'] as const;
/** The replay section's checks (scenarios/replay/section.ts); `diff` only with a baseline. */
const REPLAY_CHECKS = ['accounting', 'delivery', 'diff'];

export function observeSelfMetrics(m: SelfMetrics): RunEvents {
  const replayTotals = runningTotals(m.replayOrders);
  const scenarioTotals = runningTotals(m.scenarioOrders);
  const scenarioOrders = (scenario: string, o: { sent: number; failed: number; lost: number }) => {
    scenarioTotals({ scenario, outcome: 'sent' }, o.sent);
    scenarioTotals({ scenario, outcome: 'failed' }, o.failed);
    scenarioTotals({ scenario, outcome: 'lost' }, o.lost);
  };
  const expectChecks = (layer: GateLayer, ids: readonly string[]) => {
    for (const metric of ids)
      for (const status of CHECK_STATUSES) m.gateChecks.inc({ layer, metric, status }, 0);
  };
  return {
    expectChecks,
    begin({ layers, scenarios = [] }) {
      for (const layer of layers) for (const verdict of VERDICTS) m.gateVerdicts.inc({ layer, verdict }, 0);
      if (layers.includes('replay')) {
        for (const outcome of REPLAY_OUTCOMES) m.replayOrders.inc({ outcome }, 0);
        expectChecks('replay', REPLAY_CHECKS);
      }
      if (layers.includes('scenarios'))
        for (const scenario of scenarios) {
          m.scenarioProgress.set({ scenario }, 0);
          for (const outcome of SCENARIO_OUTCOMES) m.scenarioOrders.inc({ scenario, outcome }, 0);
        }
    },
    layerFinished(layer, section) {
      if (section.status !== 'skipped') m.gateVerdicts.inc({ layer, verdict: section.status });
      for (const check of section.checks)
        m.gateChecks.inc({ layer, metric: checkMetric(layer, check), status: check.status });
    },
    replay({ lines, orders }) {
      // Lines for what happens to the input (read/sent/failed/quarantined); orders for
      // "lost", which only an accepted order can be.
      replayTotals({ outcome: 'read' }, lines.read);
      replayTotals({ outcome: 'sent' }, lines.sent);
      replayTotals({ outcome: 'failed' }, lines.failed);
      replayTotals({ outcome: 'quarantined' }, lines.quarantined);
      replayTotals({ outcome: 'lost' }, orders.lost);
    },
    scenario(p) {
      m.scenarioProgress.set({ scenario: p.scenario }, p.ratio);
      scenarioOrders(p.scenario, p);
    },
    scenarioFinished(result) {
      m.scenarioProgress.set({ scenario: result.scenario }, 1);
      if (result.orders) scenarioOrders(result.scenario, result.orders);
      for (const slo of result.slos) {
        m.scenarioSlo.set({ scenario: result.scenario, slo: slo.id, kind: 'target' }, slo.target);
        // An SLO that could not be measured has no observed value, not a zero.
        if (slo.observed !== null && Number.isFinite(slo.observed))
          m.scenarioSlo.set({ scenario: result.scenario, slo: slo.id, kind: 'observed' }, slo.observed);
      }
    },
    canary(event) {
      if (event.type === 'canary.started') expectChecks('canary', event.metrics);
      if (event.type !== 'canary.actuated') return;
      const weight =
        event.op === 'set-weight'
          ? (event.weight ?? event.state.weight)
          : (event.state.weight ?? (event.op === 'promote' ? 100 : event.op === 'rollback' ? 0 : null));
      if (weight !== null && weight !== undefined) m.canaryWeight.set(weight);
    },
  };
}

/**
 * The check's id within its layer: the catalogue metric for canary checks,
 * `<scenario>/<slo>` for scenarios, `verify/<provider>/<interaction>` for contracts.
 * Bounded names from the config and catalogues, never data.
 */
function checkMetric(layer: string, check: SectionLike['checks'][number]): string {
  return check.id.startsWith(`${layer}/`) ? check.id.slice(layer.length + 1) : check.id;
}
