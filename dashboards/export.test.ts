import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
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
    const tests = parse(readFileSync(files.tests, 'utf8'));
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
