import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { KESTREL_LIKE } from '../canary/metrics/fixtures/kestrel-like.ts';
import { isShipgateError } from '../core/errors.ts';
import { run } from '../harness/cli/program.ts';
import { exportDashboards } from './export.ts';

const root = mkdtempSync(join(tmpdir(), 'shipgate-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => stdout.push(String(c)) > 0);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => stderr.push(String(c)) > 0);
  const before = process.exitCode;
  try {
    process.exitCode = undefined;
    await run(['node', 'shipgate', ...args]);
    return { stdout: stdout.join(''), stderr: stderr.join(''), exitCode: process.exitCode ?? 0 };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

describe('dashboards export', () => {
  it('writes the dashboard JSON, both rule files and their tests, which refer to each other', () => {
    const files = exportDashboards(join(root, 'plain'), { canary: 'canary', baseline: 'stable' });
    const dashboard = JSON.parse(readFileSync(files.dashboard, 'utf8'));
    expect(dashboard.uid).toBe('shipgate-rollout');
    const tests = parse(readFileSync(files.tests!, 'utf8'));
    expect(tests.rule_files).toEqual(['recording-rules.yml', 'alert-rules.yml']);
    expect(parse(readFileSync(files.alerts, 'utf8')).groups.map((g: { name: string }) => g.name)).toEqual([
      'shipgate-slo',
      'shipgate-canary',
    ]);
  });

  it('`shipgate dashboards export OUT --check` writes the files and runs promtool on them (exit 0), with other version names', async () => {
    const out = join(root, 'cli');
    const result = await cli(
      'dashboards',
      'export',
      out,
      '--canary',
      'build-42',
      '--baseline',
      'v1.2.3',
      '--check',
      '--promtool',
      '/usr/bin/promtool',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(Object.keys(printed.files).sort()).toEqual(['alerts', 'dashboard', 'recording', 'tests']);
    expect(
      printed.checks.map((c: { command: string; ok: boolean }) => [
        c.command.split(' ').slice(0, 3).join(' '),
        c.ok,
      ]),
    ).toEqual([
      ['promtool check rules', true],
      ['promtool test rules', true],
    ]);
    expect(readFileSync(printed.files.alerts, 'utf8')).toContain('{version="build-42"}');
  });

  it("`--config`: rules and dashboard from the target's own definitions and version label, accepted by promtool", async () => {
    const out = join(root, 'kestrel');
    const config = join(root, 'kestrel.config.json');
    const templated = {
      id: 'refused_parcels',
      title: 'Refused parcels',
      kind: 'events',
      bad: { promql: 'sum by ({{versionLabel}}) (kestrel_parcels_refused_total{ {{selector}} })' },
      total: { series: 'kestrel_parcels_delivered_total' },
      indicator: 'leading',
      direction: 'higher-is-worse',
    };
    writeFileSync(
      config,
      JSON.stringify({
        canary: {
          metrics: [...KESTREL_LIKE, templated],
          versions: { label: 'release_track', canary: 'next', baseline: 'current' },
        },
      }),
    );
    const result = await cli(
      'dashboards',
      'export',
      out,
      '--config',
      config,
      '--check',
      '--promtool',
      '/usr/bin/promtool',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.checks).toEqual([
      expect.objectContaining({ ok: true, command: expect.stringMatching(/^promtool check rules/) }),
    ]);
    expect(printed.checks[0].output).toMatch(/SUCCESS: \d+ rules found/);
    const recording = readFileSync(printed.files.recording, 'utf8');
    expect(recording).toContain('kestrel_parcels_delivered_total{punctuality="late"}');
    expect(recording).toContain(
      'histogram_quantile(0.95, sum by (release_track, le) (rate(kestrel_fulfilment_handling_ms_bucket[5m])))',
    );
    expect(recording).toContain('kestrel_parcels_refused_total{ release_track!="" }');
    expect(recording).not.toContain('logistics_');
    const alerts = readFileSync(printed.files.alerts, 'utf8');
    expect(alerts).toContain('shipgate:fulfilment_p95:5m{release_track="next"} > ignoring(release_track)');
    expect(alerts).toContain('+ 50)'); // the floor in milliseconds, not 0.05
    const dashboard = readFileSync(printed.files.dashboard, 'utf8');
    expect(dashboard).toContain('release_track=~\\"$canary\\"');
    expect(dashboard).toContain('"unit": "ms"');
  });

  it('names the folder when it cannot write', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    try {
      exportDashboards(join(file, 'sub'));
      expect.unreachable();
    } catch (error) {
      expect(isShipgateError(error) && error.code).toBe('SG_DASHBOARDS_EXPORT_FAILED');
      expect((error as Error).message).toContain(join(file, 'sub'));
    }
  });
});
