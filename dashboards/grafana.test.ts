import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Panel, RowPanel } from '@grafana/schema';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CATALOGUE } from '../canary/metrics/catalogue.ts';
import { SERIES, SHIPGATE_SERIES } from '../canary/metrics/names.ts';
import { compileWindowed } from '../canary/metrics/promql.ts';
import { grafanaDashboard, metricQuery } from './grafana.ts';

const PROMTOOL = process.env.SHIPGATE_PROMTOOL ?? '/usr/bin/promtool';
const dashboard = grafanaDashboard();
const all = (dashboard.panels ?? []) as (Panel | RowPanel)[];
const panels = all.filter((p): p is Panel => p.type !== 'row');
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
    const queries = [...exprs(), ...annotations].map((q) =>
      q
        .replaceAll('$canary', 'canary')
        .replaceAll('$baseline', 'stable')
        .replaceAll('$__rate_interval', '1m')
        .replaceAll('$__range', '1h'),
    );
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
