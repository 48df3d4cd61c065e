import { describe, expect, it } from 'vitest';
import { SHIPGATE_SERIES, SHIPGATE_SERIES_SPEC } from '../../canary/metrics/names.ts';
import { observeSelfMetrics } from './record.ts';
import { createSelfMetrics, runningTotals } from './self-metrics.ts';

const progress = (read: number, sent: number, failed: number, quarantined: number, lost = 0) => ({
  lines: { read, sent, failed, quarantined, late: 0, resumed: 0 },
  orders: { attempted: 0, accepted: sent, duplicates: 0, failed, retried: 0, confirmed: 0, lost },
});

describe("shipgate's own metrics", () => {
  it('registers every SHIPGATE_SERIES entry with exactly its documented kind and label names', async () => {
    const { registry } = createSelfMetrics();
    const json = await registry.getMetricsAsJSON();
    expect(json.map((m) => m.name).sort()).toEqual(Object.values(SHIPGATE_SERIES).sort());
    for (const [key, name] of Object.entries(SHIPGATE_SERIES)) {
      const spec = SHIPGATE_SERIES_SPEC[key as keyof typeof SHIPGATE_SERIES];
      const metric = registry.getSingleMetric(name) as unknown as { labelNames: string[] };
      expect(metric.labelNames, name).toEqual([...spec.labels]);
      expect(json.find((m) => m.name === name)?.type, name).toBe(spec.kind);
    }
  });

  it('turns running totals into counter increments without double counting', async () => {
    const m = createSelfMetrics();
    const add = runningTotals(m.replayOrders);
    add({ outcome: 'sent' }, 5);
    add({ outcome: 'sent' }, 5);
    add({ outcome: 'sent' }, 12);
    add({ outcome: 'sent' }, 3); // a smaller total (another run's snapshot) is not a decrement
    add({ outcome: 'failed' }, 1);
    const values = (await m.replayOrders.get()).values;
    expect(values.find((v) => v.labels.outcome === 'sent')?.value).toBe(12);
    expect(values.find((v) => v.labels.outcome === 'failed')?.value).toBe(1);
  });

  it('records a layer verdict and its checks; a skipped layer has checks but no verdict', async () => {
    const m = createSelfMetrics();
    const events = observeSelfMetrics(m);
    events.layerFinished('canary', {
      status: 'fail',
      checks: [
        { id: 'canary/error_rate', status: 'fail' },
        { id: 'canary/processing_p95_seconds', status: 'pass' },
      ],
    });
    events.layerFinished('scenarios', {
      status: 'skipped',
      checks: [{ id: 'scenarios/peak-day/canary/on_time_rate', status: 'skipped' }],
    });
    const text = await m.registry.metrics();
    expect(text).toContain('shipgate_gate_verdicts_total{layer="canary",verdict="fail"} 1');
    expect(text).not.toContain('layer="scenarios",verdict=');
    expect(text).toContain('shipgate_gate_checks_total{layer="canary",metric="error_rate",status="fail"} 1');
    expect(text).toContain(
      'shipgate_gate_checks_total{layer="scenarios",metric="peak-day/canary/on_time_rate",status="skipped"} 1',
    );
  });

  it('counts replay lines by outcome and lost orders, from progress snapshots', async () => {
    const m = createSelfMetrics();
    const events = observeSelfMetrics(m);
    events.replay(progress(10, 6, 1, 2));
    events.replay(progress(20, 16, 1, 3));
    events.replay(progress(20, 16, 1, 3, 2));
    const text = await m.registry.metrics();
    for (const [outcome, value] of Object.entries({ read: 20, sent: 16, failed: 1, quarantined: 3, lost: 2 }))
      expect(text).toContain(`shipgate_replay_orders_total{outcome="${outcome}"} ${value}`);
  });

  it('follows a scenario: orders, progress, then SLO targets and observed values (none when unmeasured)', async () => {
    const m = createSelfMetrics();
    const events = observeSelfMetrics(m);
    events.scenario({ scenario: 'peak-day', ratio: 0.25, sent: 40, failed: 1, lost: 0 });
    expect(await m.registry.metrics()).toContain(
      'shipgate_scenario_progress_ratio{scenario="peak-day"} 0.25',
    );
    events.scenarioFinished({
      scenario: 'peak-day',
      orders: { sent: 160, failed: 2, lost: 1 },
      slos: [
        { id: 'processing_p95_seconds', target: 1, observed: 12 },
        { id: 'on_time_rate', target: 0.95, observed: null },
      ],
    });
    const text = await m.registry.metrics();
    expect(text).toContain('shipgate_scenario_progress_ratio{scenario="peak-day"} 1');
    expect(text).toContain('shipgate_scenario_orders_total{scenario="peak-day",outcome="sent"} 160');
    expect(text).toContain('shipgate_scenario_orders_total{scenario="peak-day",outcome="lost"} 1');
    expect(text).toContain(
      'shipgate_scenario_slo{scenario="peak-day",slo="processing_p95_seconds",kind="observed"} 12',
    );
    expect(text).toContain(
      'shipgate_scenario_slo{scenario="peak-day",slo="on_time_rate",kind="target"} 0.95',
    );
    expect(text).not.toContain('slo="on_time_rate",kind="observed"');
  });

  it('follows the canary weight through set-weight, rollback and promotion', async () => {
    const m = createSelfMetrics();
    const events = observeSelfMetrics(m);
    const state = { weight: null, phase: 'progressing' as const };
    const weight = async () => (await m.canaryWeight.get()).values[0]?.value;
    events.canary({ type: 'canary.actuated', t: 0, op: 'set-weight', weight: 10, state });
    expect(await weight()).toBe(10);
    events.canary({ type: 'canary.actuated', t: 1, op: 'rollback', state });
    expect(await weight()).toBe(0);
    events.canary({ type: 'canary.actuated', t: 2, op: 'promote', state: { ...state, weight: 100 } });
    expect(await weight()).toBe(100);
  });
});

describe('series known in advance', () => {
  it('start at zero, so the first verdict and the first orders are an increase', async () => {
    const m = createSelfMetrics();
    observeSelfMetrics(m).begin({ layers: ['replay', 'scenarios'], scenarios: ['peak-day'] });
    const text = await m.registry.metrics();
    expect(text).toContain('shipgate_gate_verdicts_total{layer="replay",verdict="fail"} 0');
    expect(text).toContain('shipgate_gate_verdicts_total{layer="scenarios",verdict="pass"} 0');
    expect(text).not.toContain('layer="canary"');
    expect(text).toContain('shipgate_replay_orders_total{outcome="lost"} 0');
    expect(text).toContain('shipgate_scenario_orders_total{scenario="peak-day",outcome="sent"} 0');
    expect(text).toContain('shipgate_scenario_progress_ratio{scenario="peak-day"} 0');
  });
});

describe('checks known in advance', () => {
  it("start at zero for every status: the replay's at begin, the canary's when the rollout starts", async () => {
    const m = createSelfMetrics();
    const events = observeSelfMetrics(m);
    events.begin({ layers: ['replay', 'canary'] });
    events.canary({
      type: 'canary.started',
      t: 0,
      metrics: ['error_rate'],
    } as unknown as Parameters<typeof events.canary>[0]);
    events.expectChecks('scenarios', ['peak-day/on_time_rate']);
    const text = await m.registry.metrics();
    for (const status of ['pass', 'fail', 'inconclusive', 'skipped']) {
      expect(text).toContain(
        `shipgate_gate_checks_total{layer="replay",metric="accounting",status="${status}"} 0`,
      );
      expect(text).toContain(
        `shipgate_gate_checks_total{layer="canary",metric="error_rate",status="${status}"} 0`,
      );
      expect(text).toContain(
        `shipgate_gate_checks_total{layer="scenarios",metric="peak-day/on_time_rate",status="${status}"} 0`,
      );
    }
  });
});
