import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../core/report/validate.ts';
import { COMPACT_SANDBOX_CANARY } from './testing.ts';

/**
 * Ctrl-C (SIGINT) during the canary layer of a gate on the embedded sandbox: the gate
 * stops, says how to resume, and leaves the run resumable (`gate.interrupted`, no
 * `gate.finished`). The sandbox died with that process, so `--resume` re-runs the
 * canary layer from scratch against a new sandbox — a second rollout in the journal,
 * one decision — while the replay layer that had finished is restored, not re-run.
 */
const bin = join(process.cwd(), 'bin', 'shipgate.js');
const root = mkdtempSync(join(tmpdir(), 'sg-gate-resume-sandbox-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

type Event = { type: string; layer?: string; op?: string; restored?: string[]; rerun?: string[] };
const journal = (dir: string): Event[] =>
  readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);

describe('shipgate gate --resume on the embedded sandbox', () => {
  it('after Ctrl-C in the canary layer: canary re-run against a new sandbox, replay restored', async () => {
    const config = join(root, 'shipgate.config.json');
    // The gate e2e's compact settings (harness/gate/sandbox-gate.testing.ts), two layers.
    writeFileSync(
      config,
      JSON.stringify({
        release: { name: 'resume on the sandbox' },
        layers: ['replay', 'canary'],
        target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: 'none', latency: 'none', seed: 3 } },
        replay: { orders: 40, speed: 4320, diffBudget: 0.5, seed: 'resume-sandbox' },
        canary: COMPACT_SANDBOX_CANARY,
      }),
    );
    const dir = join(root, 'run');
    const child = spawn(process.execPath, [bin, 'gate', '--config', config, '--run-dir', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    const weightSet = () =>
      existsSync(join(dir, 'journal.jsonl')) &&
      journal(dir).some((e) => e.type === 'canary.actuated' && e.op === 'set-weight');
    while (!weightSet()) {
      if (Date.now() > deadline) throw new Error(`the canary did not start within 45 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(child.pid!, 'SIGINT');
    expect(await exited, stderr).toBe(3);
    expect(stderr).toContain(`finish it with: shipgate gate --resume ${dir}`);
    const interrupted = journal(dir);
    expect(interrupted.some((e) => e.type === 'gate.interrupted')).toBe(true);
    expect(interrupted.some((e) => e.type === 'gate.finished')).toBe(false);
    expect(interrupted.some((e) => e.type === 'gate.layer.finished' && e.layer === 'canary')).toBe(false);

    const resumed = await execa(process.execPath, [bin, 'gate', '--config', config, '--resume', dir], {
      reject: false,
      timeout: 60_000,
    });
    expect([0, 1], resumed.stderr).toContain(resumed.exitCode);
    expect(resumed.stderr).toMatch(/replay finished before the interruption \(pass\); restored, not re-run/);
    expect(resumed.stderr).toMatch(
      /canary was interrupted; re-running it from scratch: the embedded sandbox/,
    );

    const after = journal(dir);
    const count = (p: (e: Event) => boolean) => after.filter(p).length;
    expect(after.find((e) => e.type === 'gate.resumed')).toMatchObject({
      restored: ['replay'],
      rerun: ['canary'],
    });
    expect(count((e) => e.type === 'gate.layer.started' && e.layer === 'replay')).toBe(1);
    expect(count((e) => e.type === 'gate.layer.started' && e.layer === 'canary')).toBe(2);
    expect(count((e) => e.type === 'canary.started')).toBe(2);
    expect(count((e) => e.type === 'canary.resumed')).toBe(0);
    expect(count((e) => e.type === 'canary.finished')).toBe(1);
    expect(count((e) => e.type === 'canary.actuated' && (e.op === 'promote' || e.op === 'rollback'))).toBe(1);
    expect(count((e) => e.type === 'gate.finished')).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(validateReport(report).ok).toBe(true);
    expect(Object.keys(report.layers)).toEqual(['replay', 'canary']);
    expect(report.decision.exitCode).toBe(resumed.exitCode);
  }, 150_000);
});
