import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../core/report/model.ts';
import { SCENARIOS } from '../../../scenarios/catalogue/catalogue.ts';
import { expectedOrders } from '../../../scenarios/load/profile.ts';
import { runCli } from '../testing.ts';

const bin = join(process.cwd(), 'bin', 'shipgate.js');
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

describe('shipgate scenario', () => {
  it('lists the catalogue; an unknown scenario is a usage error naming the known ones', async () => {
    // In-process (runCli) but for the --compare run, which goes through the launcher.
    const list = await runCli(['scenario', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((s) => s.name)).toEqual(
      SCENARIOS.map((s) => s.name),
    );
    const bad = await runCli(['scenario', 'run', 'nope']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('SG_UNKNOWN_SCENARIO');
    expect(bad.stderr).toContain('peak-day');
  });

  it('exports k6 files with the scenario’s requests, and maps k6’s exit code 99 into a failed report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6cli-'));
    const out = join(dir, 'k6');
    const exported = await runCli([
      'scenario',
      'export',
      'peak-day',
      '--k6',
      out,
      '--scale',
      '0.1',
      '--json',
    ]);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const answer = JSON.parse(exported.stdout) as { files: Record<string, string>; orders: number };
    const { files } = answer;
    expect(answer.orders).toBe(
      Math.round(expectedOrders(SCENARIOS.find((s) => s.name === 'peak-day')!.load) * 0.1),
    );
    // One request per iteration of the full-volume run: the orders, then their clones.
    const requests = JSON.parse(readFileSync(files.requests!, 'utf8')) as { path: string; id: string }[];
    expect(requests.length).toBeGreaterThan(
      expectedOrders(SCENARIOS.find((s) => s.name === 'peak-day')!.load),
    );
    expect(new Set(requests.map((r) => r.id)).size).toBe(requests.length);
    expect(requests[0]!.path).toBe('/v1/orders');
    expect(readFileSync(files.script!, 'utf8')).toContain('ramping-arrival-rate');

    const summary = join(dir, 'summary.json');
    writeFileSync(
      summary,
      JSON.stringify({
        metrics: {
          'http_req_duration{name:intake}': {
            type: 'trend',
            values: { 'p(95)': 1840 },
            thresholds: { 'p(95)<=1000': { ok: false } },
          },
        },
      }),
    );
    const runDir = join(dir, 'run');
    const failed = await runCli([
      'scenario',
      'import-k6',
      summary,
      '--exit-code',
      '99',
      '--scenario',
      'peak-day',
      '--run-dir',
      runDir,
    ]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('k6 exited 99');
    const report = readReport(runDir);
    expect(report.layers.scenarios?.status).toBe('fail');
    expect(report.decision.reason).toContain('p(95)<=1000');
    expect(existsSync(join(runDir, 'junit.xml'))).toBe(true);
    const broken = await runCli([
      'scenario',
      'import-k6',
      summary,
      '--exit-code',
      '107',
      '--run-dir',
      join(dir, 'run2'),
    ]);
    expect(broken.exitCode).toBe(3);
  });

  // Two scaled-down peak days, one per build, in one process: the longest test here.
  it('--compare stable,canary runs the same orders on both builds; the latency defect fails the run naming the SLO', {
    timeout: 150_000,
  }, async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'sg-scn-')), 'run');
    const result = await execa(
      'node',
      [
        bin,
        'scenario',
        'run',
        'peak-day',
        '--compare',
        'stable,canary',
        '--canary-defect',
        'latency-under-load',
        '--scale',
        '0.01',
        '--speed',
        '144',
        '--latency',
        'none',
        '--settle-timeout',
        '5000',
        '--run-dir',
        runDir,
      ],
      { reject: false, timeout: 140_000 },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /peak-day on canary \(scaled to 0\.01\) missed \d SLOs?: .*Order processing p95 \d+\.\d+ s \(SLO <= 1\.00 s\)/,
    );
    const report = readReport(runDir);
    const runs = report.layers.scenarios!.runs;
    expect(runs.map((r) => r.version)).toEqual(['stable', 'canary']);
    expect(runs[1]!.comparedWith).toBe('stable');
    const p95 = runs[1]!.slos.find((s) => s.id === 'processing_p95_seconds')!;
    expect(p95.status).toBe('fail');
    expect(p95.baselineObserved).not.toBeNull();
    expect(p95.observed!).toBeGreaterThan(p95.baselineObserved!);
    expect(runs[1]!.observations!.join('\n')).toMatch(
      /Order processing p95: stable \d+\.\d+ s, canary \d+\.\d+ s \(\+/,
    );
    expect(runs[0]!.orders!.sent).toBe(runs[1]!.orders!.sent);
    expect(report.decision.decidedBy?.layer).toBe('scenarios');
    for (const file of [
      'report.md',
      'junit.xml',
      'results-stable.jsonl',
      'results-canary.jsonl',
      'journal.jsonl',
    ])
      expect(existsSync(join(runDir, file)), file).toBe(true);
  });
});
