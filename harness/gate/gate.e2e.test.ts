import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../core/report/model.ts';
import { validateReport } from '../../core/report/validate.ts';
import { validateConfig } from '../config/load.ts';
import { runGate } from './run.ts';
import { COMPACT_SANDBOX_CANARY } from './testing.ts';

/**
 * `shipgate gate` against the embedded sandbox, once per defect of the catalogue: each
 * defect must be stopped by the layer built to catch it, and the clean build must pass
 * every layer (ending in a promotion).
 *
 * Compact settings (the same code as a full run, smaller):
 * - replay: a generated day of 200 orders compressed 4320× (at 3% dropped, the chance
 *   of not losing one of 200 is 0.2%);
 * - scenarios: peak-day at 1% of its volume paced at 144× (about 15 orders/s real),
 *   three virtual days of delivery tracking, bounded at 25 real seconds;
 * - canary: steps 10 → 50 → 100%, an hour of platform time per step on the 3600×
 *   clock, 200 canary orders per leading metric to promote, direct scrape (no
 *   Prometheus start-up), 30 orders/s through the router.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function compact(defect: string) {
  return validateConfig(
    {
      release: { name: `e2e ${defect}` },
      target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: defect, latency: 'none', seed: 3 } },
      // Stable and canary share the sandbox's one inventory: a rejection reason quoting the
      // stock left can differ in an order or two of 200, so the budget is 2% (wrong-carrier: 14%).
      replay: { orders: 200, speed: 4320, diffBudget: 0.02, seed: `e2e-${defect}` },
      scenarios: { run: ['peak-day'], scale: 0.01, speed: 144, settleDays: 3, settleTimeout: '25s' },
      canary: COMPACT_SANDBOX_CANARY,
    },
    'e2e',
  ).resolved;
}

async function gate(defect: string) {
  const runDir = mkdtempSync(join(tmpdir(), `sg-gate-${defect}-`));
  dirs.push(runDir);
  const lines: string[] = [];
  const started = Date.now();
  const result = await runGate({
    config: compact(defect),
    runDir,
    progress: (line) => {
      lines.push(line);
      if (process.env.SHIPGATE_E2E_VERBOSE) process.stderr.write(`[${defect}] ${line}\n`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `[gate e2e ${defect}] ${result.report.decision.verdict} at ${result.stoppedAt ?? '-'} in ${seconds} s\n`,
  );
  // One run folder, one report covering every layer, valid against the schema.
  for (const file of ['report.json', 'report.md', 'report.html', 'junit.xml', 'journal.jsonl'])
    expect(existsSync(join(runDir, file)), file).toBe(true);
  expect(validateReport(JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'))).ok).toBe(true);
  expect(Object.keys(result.report.layers)).toEqual(['contracts', 'replay', 'scenarios', 'canary']);
  return { result, lines };
}

const failing = (checks: Check[]) => checks.filter((c) => c.status === 'fail').map((c) => c.id);

// Each case starts a sandbox world and runs up to four layers: minutes on a busy 2-core machine.
describe('shipgate gate against the sandbox, per defect', { timeout: 300_000 }, () => {
  it('unit-mismatch: stopped at contracts, naming steppe; later layers not run', async () => {
    const { result } = await gate('unit-mismatch');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('contracts');
    expect(result.report.decision.decidedBy?.layer).toBe('contracts');
    expect(JSON.stringify(result.report.layers.contracts?.failures)).toMatch(/steppe/);
    expect(result.report.layers.replay?.status).toBe('skipped');
    expect(result.report.layers.canary?.status).toBe('skipped');
  });

  it('wrong-carrier: stopped at the replay diff (carrier change in region NW)', async () => {
    const { result } = await gate('wrong-carrier');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('replay');
    expect(result.report.layers.contracts?.status).toBe('pass');
    expect(failing(result.report.layers.replay!.checks)).toContain('replay/diff');
    expect(JSON.stringify(result.report.layers.replay?.diffGroups)).toMatch(/NW/);
  });

  it('dropped-orders: stopped at replay accounting (lost orders named)', async () => {
    const { result } = await gate('dropped-orders');
    expect(result.exitCode).toBe(1);
    expect(result.stoppedAt).toBe('replay');
    expect(failing(result.report.layers.replay!.checks)).toContain('replay/accounting');
    expect(result.report.layers.replay!.accounting.lost).toBeGreaterThan(0);
  });

  it('latency-under-load: passes contracts and replay, stopped at scenarios or canary', async () => {
    const { result } = await gate('latency-under-load');
    expect(result.exitCode).toBe(1);
    expect(result.report.layers.contracts?.status).toBe('pass');
    expect(result.report.layers.replay?.status).toBe('pass');
    expect(['scenarios', 'canary']).toContain(result.stoppedAt);
  });

  it('none: every layer passes and the canary is promoted', async () => {
    const { result } = await gate('none');
    expect(
      Object.fromEntries(
        Object.entries(result.report.layers).map(([k, v]) => [k, `${v.status}: ${v.summary}`]),
      ),
    ).toEqual({
      contracts: expect.stringMatching(/^pass/),
      replay: expect.stringMatching(/^pass/),
      scenarios: expect.stringMatching(/^pass/),
      canary: expect.stringMatching(/^pass/),
    });
    expect(result.canary?.outcome).toBe('promoted');
    expect(result.exitCode).toBe(0);
  });
});
