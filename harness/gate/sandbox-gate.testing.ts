import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { Check } from '../../core/report/model.ts';
import { validateReport } from '../../core/report/validate.ts';
import { validateConfig } from '../config/load.ts';
import { runGate } from './run.ts';
import { COMPACT_SANDBOX_CANARY } from './testing.ts';

/**
 * `shipgate gate` against the embedded sandbox with one canary defect, for the gate's
 * end-to-end files (harness/gate/gate*.e2e.test.ts: one file per outcome, so vitest runs
 * them on separate workers instead of one after another).
 *
 * Compact settings (the same code as a full run, smaller):
 * - replay: a generated day of 200 orders compressed 8640× (at 3% dropped, the chance
 *   of not losing one of 200 is 0.2%);
 * - scenarios: peak-day at 1% of its volume paced at 144× (about 15 orders/s real),
 *   three virtual days of delivery tracking, bounded at 25 real seconds;
 * - canary: steps 10 → 50 → 100%, an hour of platform time per step on the 3600×
 *   clock, 200 canary orders per leading metric to promote, direct scrape (no
 *   Prometheus start-up), 30 orders/s through the router.
 */
function compact(defect: string) {
  return validateConfig(
    {
      release: { name: `e2e ${defect}` },
      target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: defect, latency: 'none', seed: 3 } },
      // Stable and canary share the sandbox's one inventory: a rejection reason quoting the
      // stock left can differ in an order or two of 200, so the budget is 2% (wrong-carrier: 14%).
      replay: { orders: 200, speed: 8640, diffBudget: 0.02, seed: `e2e-${defect}` },
      scenarios: { run: ['peak-day'], scale: 0.01, speed: 144, settleDays: 3, settleTimeout: '25s' },
      canary: COMPACT_SANDBOX_CANARY,
    },
    'e2e',
  ).resolved;
}

const dirs: string[] = [];

/** Run folders are removed after the file that asked for them. */
export function removeRunDirsAfterAll(): void {
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * One gate run with every layer on a fresh sandbox world whose canary carries `defect`.
 * Whatever the verdict, the run folder must hold one report covering every layer, valid
 * against the schema.
 */
export async function gateOnSandbox(defect: string) {
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
  for (const file of ['report.json', 'report.md', 'report.html', 'junit.xml', 'journal.jsonl'])
    expect(existsSync(join(runDir, file)), file).toBe(true);
  expect(validateReport(JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'))).ok).toBe(true);
  expect(Object.keys(result.report.layers)).toEqual(['contracts', 'replay', 'scenarios', 'canary']);
  return { result, lines };
}

export const failing = (checks: Check[]) => checks.filter((c) => c.status === 'fail').map((c) => c.id);
