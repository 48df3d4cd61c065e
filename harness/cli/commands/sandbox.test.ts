import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive, stopProcesses } from '../../../sandbox/launch/processes.ts';
import { DEFECT_NAMES } from '../../../sandbox/platform/defects.ts';
import { runCli } from '../testing.ts';

/**
 * `shipgate sandbox`: the listings, refusals and `down` run in-process (runCli); `up
 * --detach` through the real launcher, since what it proves is that the world outlives
 * the command's process.
 */
const bin = join(process.cwd(), 'bin', 'shipgate.js');
const started: number[] = [];
afterAll(() => stopProcesses(started));

describe('shipgate sandbox', () => {
  it('lists the defect catalogue, as text and as JSON', async () => {
    const text = await runCli(['sandbox', 'defects']);
    for (const name of DEFECT_NAMES) expect(text.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    const json = await runCli(['sandbox', 'defects', '--json']);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((d) => d.name)).toEqual(DEFECT_NAMES);
  });

  it('lists the catalogue: SKUs with weights and the service area, as text and as JSON', async () => {
    const text = await runCli(['sandbox', 'catalogue']);
    expect(text.stdout).toMatch(/^service area: postcodes of six digits/m);
    expect(text.stdout).toMatch(/^ {2}0xxxxx: .*no_carrier/m);
    expect(text.stdout).toMatch(/^ {2}PHN-0001 +phones +[\d.]+ kg/m);
    const json = JSON.parse((await runCli(['sandbox', 'catalogue', '--json'])).stdout) as {
      skus: { sku: string; weightKg: number }[];
      serviceArea: { regions: { region: string; postcodes: string }[] };
      carriers: { name: string; maxWeightKg: number }[];
    };
    expect(json.skus.length).toBe(200);
    expect(json.skus.every((s) => s.weightKg > 0)).toBe(true);
    expect(json.serviceArea.regions.map((r) => r.postcodes)).toContain('1xxxxx');
    expect(json.carriers.map((c) => c.name).sort()).toEqual(['labelfast', 'parcelly', 'steppe']);
  });

  it('refuses an unknown defect with exit code 2', async () => {
    const result = await runCli(['sandbox', 'up', '--canary-defect', 'nope']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Allowed choices are none');
  });

  // Two worlds of seven processes in turn, each loading the TypeScript sources: slow on a
  // busy two-core machine.
  it('up --detach answers on loopback; down stops it by pid; a second up runs and records new processes', {
    timeout: 420_000,
  }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-sandbox-'));
    const stateFile = join(cwd, '.shipgate', 'sandbox.json');
    const upArgs = [bin, 'sandbox', 'up', '--detach', '--json', '--speed', '600'];
    const up = async () => {
      const result = await execa('node', upArgs, { cwd, timeout: 120_000 });
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxStateFile;
      started.push(...state.pids);
      return { state, stdout: result.stdout };
    };
    const { state: first, stdout } = await up();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(stdout).not.toContain(first.adminToken);
    expect(new URL(first.urls.router).hostname).toBe('127.0.0.1');
    const clock = (await (await fetch(`${first.urls.router}/v1/clock`)).json()) as { speed: number };
    expect(clock.speed).toBe(600);
    expect((await fetch(`${first.urls.router}/admin/state`)).status).toBe(401);
    const authed = await fetch(`${first.urls.router}/admin/state`, {
      headers: { authorization: `Bearer ${first.adminToken}` },
    });
    expect(authed.status).toBe(200);

    // A second up over a running one would orphan it: refused, the state file untouched.
    const again = await runCli(upArgs.slice(1), { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already running');
    expect((JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxStateFile).pids).toEqual(first.pids);

    const down1 = await runCli(['sandbox', 'down'], { cwd });
    expect(down1.exitCode).toBe(0);
    expect(first.pids.filter(isProcessAlive)).toEqual([]);
    expect(down1.stdout).toContain(`stopped ${first.pids.length} sandbox services`);

    const { state: second } = await up();
    expect(second.pids.filter((pid) => first.pids.includes(pid))).toEqual([]);
    // Every recorded pid is a live sandbox service of this start, and every URL answers.
    for (const pid of second.pids) expect(isSandboxService(pid), `pid ${pid}`).toBe(true);
    const { carriers, ...services } = second.urls;
    const urls = [...Object.values(services), ...Object.values(carriers)];
    expect(urls.length).toBe(second.pids.length);
    for (const url of urls) expect((await fetch(`${url}/healthz`)).status, url).toBe(200);

    const down2 = await runCli(['sandbox', 'down'], { cwd });
    expect(down2.exitCode).toBe(0);
    expect(down2.stdout).toContain(`stopped ${second.pids.length} sandbox services`);
    expect(second.pids.filter(isProcessAlive)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('down fails, naming the pid and keeping the state file, when a recorded process does not go away', {
    timeout: 60_000,
  }, async () => {
    // A zombie survives SIGKILL until its parent reaps it; this parent (a `sleep` we start) never does.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 300'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    started.push(parent.pid!);
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const zombie = Number(line.toString().trim());
    for (let i = 0; i < 100 && !/^\d+ \(\S+\) Z/.test(readFileSync(`/proc/${zombie}/stat`, 'utf8')); i++)
      await sleep(50);
    const cwd = mkdtempSync(join(tmpdir(), 'sg-sandbox-stuck-'));
    const stateFile = join(cwd, 'sandbox.json');
    writeFileSync(
      stateFile,
      JSON.stringify({
        startedAt: '',
        urls: {},
        pids: [zombie],
        canaryDefect: 'none',
        speed: 60,
        adminToken: 't',
      }),
    );
    const down = await runCli(['sandbox', 'down', '--state-file', stateFile], { cwd });
    expect(down.exitCode).toBe(3);
    expect(down.stderr).toContain('SG_SANDBOX_STOP_FAILED');
    expect(down.stderr).toContain(String(zombie));
    expect(down.stdout).not.toContain('stopped');
    expect(existsSync(stateFile)).toBe(true);
    parent.kill('SIGKILL');
  });
});

interface SandboxStateFile {
  pids: number[];
  adminToken: string;
  urls: {
    router: string;
    stable: string;
    canary: string;
    inventory: string;
    carriers: Record<string, string>;
  };
}

/** A running `sandbox/launch/serve.ts` process (Linux: its command line in /proc). */
function isSandboxService(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandbox/launch/serve.ts');
  } catch {
    return false;
  }
}
