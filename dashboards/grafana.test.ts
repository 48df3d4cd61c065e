import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Panel, RowPanel } from '@grafana/schema';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CATALOGUE } from '../canary/metrics/catalogue.ts';
import { KESTREL_LIKE } from '../canary/metrics/fixtures/kestrel-like.ts';
import { toMetricDecl } from '../canary/metrics/from-definition.ts';
import { SHIPGATE_SERIES } from '../canary/metrics/names.ts';
import { SERIES } from '../canary/metrics/presets/builtin.ts';
import { compileWindowed } from '../canary/metrics/promql.ts';
import { createGateMetrics } from '../canary/server/metrics.ts';
import { createSelfMetrics } from '../harness/telemetry/self-metrics.ts';
import { grafanaDashboard, metricQuery } from './grafana.ts';
import { parsePromql } from './promql-labels.testing.ts';

const PROMTOOL = process.env.SHIPGATE_PROMTOOL ?? '/usr/bin/promtool';
const dashboard = grafanaDashboard();
const all = (dashboard.panels ?? []) as (Panel | RowPanel)[];
const panels = all.filter((p): p is Panel => p.type !== 'row');
/** Grafana's variables replaced by values, for tools that read plain PromQL. */
const concrete = (q: string) =>
  q
    .replaceAll('$canary', 'canary')
    .replaceAll('$baseline', 'stable')
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '1h');
const exprs = () => panels.flatMap((p) => (p.targets ?? []).map((t) => String((t as { expr: string }).expr)));

describe('Grafana dashboard from the catalogue', () => {
  it('has a canary-vs-baseline panel per catalogue metric, with the gate’s own PromQL for each version', () => {
    for (const metric of CATALOGUE) {
      const panel = panels.find((p) => p.title === metric.title);
      expect(panel, metric.id).toBeDefined();
      expect(panel?.type).toBe('timeseries');
      const [a, b] = (panel?.targets ?? []) as { expr: string; refId: string }[];
      expect(a?.expr).toBe(metricQuery(metric, '$canary'));
      expect(b?.expr).toBe(metricQuery(metric, '$baseline'));
      // Exactly the compiler's query, with the version as a Grafana variable.
      expect(a?.expr.replaceAll('$canary', 'canary')).toBe(
        compileWindowed(metric, '5m', { versions: ['canary'] }),
      );
      if (metric.slo) {
        const steps = (panel?.fieldConfig?.defaults.thresholds?.steps ?? []).map((s) => s.value);
        expect(steps).toContain(metric.slo.value);
      }
    }
  });

  it("a platform's own catalogue: no panel or annotation reads the sandbox's series; the router panels show the gate's weight unless told the router's", () => {
    const own = grafanaDashboard({
      catalogue: KESTREL_LIKE.map(toMetricDecl),
      versionLabel: 'release_track',
    });
    const text = JSON.stringify(own);
    expect(text).not.toContain('logistics_');
    expect(text).toContain(`max(${SHIPGATE_SERIES.canaryWeight})`);
    const told = JSON.stringify(
      grafanaDashboard({
        catalogue: KESTREL_LIKE.map(toMetricDecl),
        routerWeight: 'max(kestrel_switchboard_next_percent)',
      }),
    );
    expect(told).toContain('changes((max(kestrel_switchboard_next_percent))[2m:30s]) > 0');
  });

  it('shows the router weight, verdicts, checks, replay and scenario progress', () => {
    const text = exprs().join('\n');
    expect(text).toContain(SERIES.routerCanaryWeight);
    for (const name of Object.values(SHIPGATE_SERIES)) expect(text, name).toContain(name);
    expect(all.filter((p) => p.type === 'row').map((r) => r.title)).toEqual([
      'Rollout',
      'Canary vs baseline (same queries and window as the gate and the alert rules)',
      'Gate verdicts and checks',
      'Replay and scenarios',
    ]);
  });

  it('lays panels on the 24-column grid without overlaps, with unique ids', () => {
    const ids = all.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of all) {
      const g = p.gridPos!;
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key), `overlap at ${key} (${p.title})`).toBe(false);
          cells.add(key);
        }
    }
  });

  it('every panel and annotation query is valid PromQL (promtool, with variables substituted)', async () => {
    const annotations = (dashboard.annotations?.list ?? []).flatMap((a) => {
      const expr = (a.target as { expr?: string } | undefined)?.expr;
      return expr ? [expr] : [];
    });
    const queries = [...exprs(), ...annotations].map(concrete);
    expect(queries.some((q) => q.includes('$'))).toBe(false);
    const dir = await mkdtemp(join(tmpdir(), 'shipgate-grafana-'));
    try {
      const file = join(dir, 'panels.yml');
      await writeFile(
        file,
        stringify({
          groups: [{ name: 'panels', rules: queries.map((expr, i) => ({ record: `panel:q${i}`, expr })) }],
        }),
      );
      const result = await execa(PROMTOOL, ['check', 'rules', file], { reject: false });
      expect(result.stdout + result.stderr).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes other version names as variable defaults, and round-trips through JSON', () => {
    const d = grafanaDashboard({ canary: 'build-42', baseline: 'v1.2.3' });
    const vars = d.templating?.list ?? [];
    expect(vars.find((v) => v.name === 'canary')?.query).toBe('build-42');
    expect(vars.find((v) => v.name === 'baseline')?.query).toBe('v1.2.3');
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
  });
});

/** Label names per series, as the registries that expose them declare them. */
function registryLabels(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const registry of [createSelfMetrics().registry, createGateMetrics().registry])
    for (const metric of registry.getMetricsAsArray()) {
      const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
      byName.set(name, labelNames);
    }
  return byName;
}

/** Every query the dashboard runs, with where it sits and its legend. */
function queries(): { where: string; expr: string; legend?: string }[] {
  const fromPanels = panels.flatMap((p) =>
    (p.targets ?? []).map((t) => {
      const target = t as { expr: string; legendFormat?: string; refId: string };
      return {
        where: `panel "${p.title}" ${target.refId}`,
        expr: target.expr,
        ...(target.legendFormat ? { legend: target.legendFormat } : {}),
      };
    }),
  );
  const fromAnnotations = (dashboard.annotations?.list ?? []).flatMap((a) => {
    const expr = (a.target as { expr?: string } | undefined)?.expr;
    return expr ? [{ where: `annotation "${a.name}"`, expr }] : [];
  });
  return [...fromPanels, ...fromAnnotations];
}

/** Problems with the labels a query uses on shipgate's own series; empty when all is well. */
function labelProblems(
  q: { where: string; expr: string; legend?: string },
  labels: Map<string, string[]>,
): string[] {
  const { uses, errors } = parsePromql(concrete(q.expr));
  const problems = errors.map((at) => `${q.where}: PromQL syntax error at ${at}: ${q.expr}`);
  const own = uses.filter((u) => u.series.startsWith('shipgate_'));
  for (const u of own) {
    const known = labels.get(u.series);
    if (!known) problems.push(`${q.where}: ${u.series} is not registered by shipgate`);
    else if (!known.includes(u.label))
      problems.push(
        `${q.where}: ${u.series} has no label "${u.label}" (${u.via}); it has: ${known.join(', ') || 'none'}`,
      );
  }
  // Legends name labels too: each must exist on every shipgate series of the query.
  const series = new Set(ownNames(q.expr));
  for (const [, label] of (q.legend ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g))
    for (const name of series)
      if (name.startsWith('shipgate_') && !labels.get(name)?.includes(label!))
        problems.push(`${q.where}: legend {{${label}}} is not a label of ${name}`);
  return problems;
}

const ownNames = (expr: string) => Object.values(SHIPGATE_SERIES).filter((name) => expr.includes(name));

describe("the dashboard's queries on shipgate's own series", () => {
  const labels = registryLabels();

  it('group and filter only by labels the registries really expose (parsed with the PromQL grammar)', () => {
    const all = queries();
    const own = all.filter((q) => ownNames(q.expr).length > 0);
    // Every one of shipgate's series is read somewhere, and the check sees them.
    expect(new Set(own.flatMap((q) => ownNames(q.expr)))).toEqual(new Set(Object.values(SHIPGATE_SERIES)));
    expect(own.flatMap((q) => labelProblems(q, labels))).toEqual([]);
  });

  it('would have caught the old gate server labels and a made-up grouping', () => {
    const old = new Map(labels);
    old.set(SHIPGATE_SERIES.gateVerdicts, ['verdict', 'caller']);
    old.set(SHIPGATE_SERIES.gateChecks, ['hook', 'answer']);
    const problems = queries().flatMap((q) => labelProblems(q, old));
    expect(problems.some((p) => p.includes('has no label "layer" (by)'))).toBe(true);
    expect(problems.some((p) => p.includes('has no label "status"'))).toBe(true);
    expect(
      labelProblems(
        { where: 'probe', expr: `sum by (canary) (${SHIPGATE_SERIES.canaryWeight})`, legend: '{{canary}}' },
        labels,
      ),
    ).toEqual([
      'probe: shipgate_canary_weight has no label "canary" (by); it has: none',
      'probe: legend {{canary}} is not a label of shipgate_canary_weight',
    ]);
    expect(
      labelProblems({ where: 'probe', expr: `${SHIPGATE_SERIES.replayOrders}{order_id="o-1"}` }, labels),
    ).toEqual(['probe: shipgate_replay_orders_total has no label "order_id" (matcher); it has: outcome']);
  });
});
