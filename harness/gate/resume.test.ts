import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../core/report/validate.ts';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { feedOrders, type OrderFeed } from '../../scenarios/feed/steady.ts';
import { runCli } from '../cli/testing.ts';

/**
 * `shipgate gate --resume` through the real launcher: a gate against a platform that
 * outlives it (a sandbox world this test starts, addressed as `target.kind: urls`, the
 * router as actuator) is SIGKILLed by pid once its canary has set the first weight, and
 * the resumed gate must finish with exactly one promotion or rollback — at the router and in the
 * journal — without re-running the replay layer that had finished. Refusals (no
 * journal, another config, an already finished gate) are checked on the same folders,
 * in-process (runCli): they are about the command's checks, not the process.
 */
const bin = join(process.cwd(), 'bin', 'shipgate.js');
const root = mkdtempSync(join(tmpdir(), 'sg-gate-resume-'));
let world: World;
let feed: OrderFeed;
const children: ChildProcess[] = [];

beforeAll(async () => {
  world = await startWorld({ canaryDefect: 'none', speed: 3600, latency: 'none', seed: 11 });
  feed = feedOrders({
    router: world.urls.router,
    virtualNow: () => world.clock.now(),
    perSecond: 30,
    seed: 'gate-resume',
  });
}, 30_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  await feed?.stop();
  await world?.stop();
  rmSync(root, { recursive: true, force: true });
});

function writeConfig(
  name: string,
  over: { release?: string; layers?: string[]; replay?: Record<string, unknown> } = {},
): string {
  const file = join(root, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      release: { name: over.release ?? 'resume test' },
      layers: over.layers ?? ['replay', 'canary'],
      target: {
        kind: 'urls',
        router: world.urls.router,
        stable: world.urls.stable,
        canary: world.urls.canary,
        metrics: world.metricsTargets,
      },
      // Stable and canary share the world's inventory: the diff budget is generous, the
      // replay layer is here to prove it is not run twice.
      replay: { orders: 40, speed: 'max', diffBudget: 0.5, seed: 'resume', ...over.replay },
      canary: {
        source: { kind: 'direct-scrape' },
        steps: [10, 50, 100],
        interval: '250ms',
        minStep: '2s',
        minStepSamples: 5,
        minCanarySamples: 30,
        maxDuration: '50s',
        blastRadius: false,
      },
    }),
  );
  return file;
}

const env = () => ({ ...process.env, SHIPGATE_ADMIN_TOKEN: world.config.adminToken, NO_COLOR: '1' });
const gate = (args: string[]) =>
  execa(process.execPath, [bin, 'gate', ...args], { reject: false, timeout: 60_000, env: env() });
const gateInProcess = (args: string[]) =>
  runCli(['gate', ...args], { env: { SHIPGATE_ADMIN_TOKEN: world.config.adminToken, NO_COLOR: '1' } });
const journal = (dir: string) =>
  readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; layer?: string; op?: string; weight?: number });

/** Polls the journal (bounded) until `seen` holds. */
async function waitFor(dir: string, seen: (events: ReturnType<typeof journal>) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (existsSync(join(dir, 'journal.jsonl')) && seen(journal(dir))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`journal event not seen within ${ms} ms`);
}

describe('shipgate gate --resume', () => {
  it('SIGKILLed in the canary layer: the resumed gate decides exactly once, replay not re-run', async () => {
    const dir = join(root, 'killed');
    const config = writeConfig('killed');
    const child = spawn(process.execPath, [bin, 'gate', '--config', config, '--run-dir', dir], {
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      dir,
      (events) => events.some((e) => e.type === 'canary.actuated' && e.op === 'set-weight'),
      45_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; gate stderr:\n${stderr}`);
    });
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    expect(stderr).toContain(`shipgate gate --resume ${dir}`);
    const before = journal(dir);
    expect(before.some((e) => e.type === 'gate.finished' || e.type === 'canary.finished')).toBe(false);
    const results = readFileSync(join(dir, 'results.jsonl'), 'utf8');

    // Refused with another config (nothing written), then resumed with the same one.
    const other = await gateInProcess([
      '--config',
      writeConfig('other', { release: 'another' }),
      '--resume',
      dir,
    ]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(
      /SG_RESUME_MISMATCH: cannot resume .*killed with this config: release is "another", the interrupted run's was "resume test"/,
    );
    const layers = await gateInProcess(['--config', config, '--layers', 'canary', '--resume', dir]);
    expect(layers.exitCode).toBe(2);
    expect(layers.stderr).toMatch(
      /SG_RESUME_MISMATCH: .*layers are canary, the interrupted run's were replay,canary/,
    );
    expect(journal(dir)).toHaveLength(before.length);

    const resumed = await gate(['--config', config, '--resume', dir, '--json']);
    // Which decision the judge reaches on a few seconds of wall-clock traffic is not this
    // test's business (a busy machine can slow the canary's p95); that exactly one is
    // carried out, the same at the router, in the journal and in the exit code, is.
    const out = JSON.parse(resumed.stdout);
    expect(out, resumed.stderr).toMatchObject({
      resumed: true,
      canary: { outcome: expect.stringMatching(/^(promoted|rolled_back)$/) },
    });
    const promoted = out.canary.outcome === 'promoted';
    expect(resumed.exitCode).toBe(out.exitCode);
    expect([out.verdict, resumed.exitCode]).toEqual(
      promoted ? ['pass', 0] : [resumed.exitCode === 1 ? 'fail' : 'inconclusive', resumed.exitCode],
    );
    expect(resumed.exitCode).not.toBe(2);

    const state = (await (
      await fetch(`${world.urls.router}/admin/state`, {
        headers: { authorization: `Bearer ${world.config.adminToken}` },
      })
    ).json()) as { phase: string; canaryWeight: number };
    expect(state).toMatchObject(
      promoted ? { phase: 'promoted', canaryWeight: 100 } : { phase: 'rolled_back', canaryWeight: 0 },
    );

    const after = journal(dir);
    const count = (p: (e: (typeof after)[number]) => boolean) => after.filter(p).length;
    expect(count((e) => e.type === 'gate.started')).toBe(1);
    expect(after.find((e) => e.type === 'gate.resumed')).toMatchObject({
      restored: ['replay'],
      resumed: ['canary'],
      rerun: [],
    });
    expect(count((e) => e.type === 'gate.layer.started' && e.layer === 'replay')).toBe(1);
    expect(count((e) => e.type === 'gate.layer.started' && e.layer === 'canary')).toBe(1);
    expect(count((e) => e.type === 'canary.started')).toBe(1);
    expect(count((e) => e.type === 'canary.resumed')).toBe(1);
    // The rollout continued from its step: the first weight was not set again.
    expect(count((e) => e.type === 'canary.actuated' && e.op === 'set-weight' && e.weight === 10)).toBe(1);
    expect(count((e) => e.type === 'canary.actuated' && (e.op === 'promote' || e.op === 'rollback'))).toBe(1);
    expect(count((e) => e.type === 'canary.finished')).toBe(1);
    expect(count((e) => e.type === 'gate.finished')).toBe(1);
    // No order replayed twice: the replay's results file is as the killed run left it.
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).toBe(results);

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(validateReport(report).ok).toBe(true);
    expect(Object.keys(report.layers)).toEqual(['replay', 'canary']);
    expect(report.layers.replay.summary).toMatch(/restored from the journal/);
    expect(report.layers.canary.summary).toMatch(/resumed after an interruption/);

    // A retried job gets the recorded answer again; nothing is re-run or re-actuated.
    const again = await gateInProcess(['--config', config, '--resume', dir]);
    expect(again.exitCode).toBe(resumed.exitCode);
    expect(again.stdout).toContain(
      `already finished: ${out.verdict.toUpperCase()} (exit ${resumed.exitCode}); nothing to resume`,
    );
    expect(journal(dir)).toHaveLength(after.length);
  }, 120_000);

  it('SIGKILLed in the replay layer: the resumed replay sends no order that had an answer again', async () => {
    const dir = join(root, 'killed-replay');
    // A generated day of 300 orders compressed into about 10 real seconds.
    const config = writeConfig('killed-replay', {
      layers: ['replay'],
      replay: { orders: 300, speed: 8640, seed: 'resume-replay' },
    });
    const child = spawn(process.execPath, [bin, 'gate', '--config', config, '--run-dir', dir], {
      env: env(),
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const results = join(dir, 'results.jsonl');
    const outcomes = (text: string) => text.split('\n').filter((l) => l.includes('"t":"outcome"'));
    const deadline = Date.now() + 45_000;
    while (!existsSync(results) || outcomes(readFileSync(results, 'utf8')).length < 30) {
      if (Date.now() > deadline) throw new Error('the replay did not answer 30 orders within 45 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    const before = readFileSync(results, 'utf8');
    const answered = new Set(outcomes(before).map((l) => (JSON.parse(l) as { id: string }).id));
    expect(journal(dir).some((e) => e.type === 'gate.layer.finished')).toBe(false);

    const resumed = await gate(['--config', config, '--resume', dir, '--json']);
    expect([0, 1], resumed.stderr).toContain(resumed.exitCode);
    const after = readFileSync(results, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const sentAgain = after
      .slice(before.length)
      .split('\n')
      .filter((l) => l.includes('"t":"intent"'))
      .map((l) => (JSON.parse(l) as { id: string }).id)
      .filter((id) => answered.has(id));
    expect(sentAgain).toEqual([]);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(validateReport(report).ok).toBe(true);
    expect(report.layers.replay.accounting).toMatchObject({ read: 300, lost: 0 });
    expect(report.layers.replay.summary).toMatch(/resumed after an interruption/);
    expect(journal(dir).filter((e) => e.type === 'gate.layer.resumed')).toEqual([
      expect.objectContaining({ layer: 'replay' }),
    ]);
  }, 90_000);

  it('refuses a folder without a gate journal, naming it', async () => {
    const config = writeConfig('empty');
    const empty = mkdtempSync(join(root, 'empty-'));
    const none = await gateInProcess(['--config', config, '--resume', empty]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain(`SG_NOTHING_TO_RESUME: cannot resume ${empty}: no journal.jsonl there`);
    writeFileSync(join(empty, 'journal.jsonl'), `${JSON.stringify({ type: 'replay.started' })}\n`);
    const other = await gateInProcess(['--config', config, '--resume', empty]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/SG_NOTHING_TO_RESUME: .*no gate run \(no gate.started event\)/);
    const both = await gateInProcess(['--config', config, '--resume', empty, '--run-dir', empty]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/give --resume DIR or --run-dir DIR, not both/);
  }, 60_000);

  it('an already finished gate: its recorded verdict and exit code, nothing run', async () => {
    const config = writeConfig('done');
    const dir = mkdtempSync(join(root, 'done-'));
    const lines = [
      { type: 'gate.started', release: 'resume test', layers: ['replay', 'canary'], target: 'urls' },
      { type: 'gate.finished', verdict: 'fail', exitCode: 1, stoppedAt: 'canary' },
    ];
    writeFileSync(join(dir, 'journal.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const result = await gateInProcess(['--config', config, '--resume', dir, '--json']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'fail', exitCode: 1, alreadyFinished: true });
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  }, 60_000);
});
