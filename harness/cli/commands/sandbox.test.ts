import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive, stopProcesses } from '../../../sandbox/launch/processes.ts';
import { DEFECT_NAMES } from '../../../sandbox/platform/defects.ts';

const bin = join(process.cwd(), 'bin', 'shipgate.js');
const started: number[] = [];
afterAll(() => stopProcesses(started));

describe('shipgate sandbox', () => {
  it('lists the defect catalogue, as text and as JSON', async () => {
    const text = await execa('node', [bin, 'sandbox', 'defects']);
    for (const name of DEFECT_NAMES) expect(text.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    const json = await execa('node', [bin, 'sandbox', 'defects', '--json']);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((d) => d.name)).toEqual(DEFECT_NAMES);
  });

  it('refuses an unknown defect with exit code 2', async () => {
    const result = await execa('node', [bin, 'sandbox', 'up', '--canary-defect', 'nope'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Allowed choices are none');
  });

  // Seven node processes each load the TypeScript sources: slow on a busy two-core machine.
  it('starts a detached world of processes, answers on loopback, and stops it by pid', {
    timeout: 180_000,
  }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-sandbox-'));
    const up = await execa('node', [bin, 'sandbox', 'up', '--detach', '--json', '--speed', '600'], {
      cwd,
      timeout: 60_000,
    });
    const stateFile = join(cwd, '.shipgate', 'sandbox.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      pids: number[];
      urls: { router: string };
      adminToken: string;
    };
    started.push(...state.pids);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(up.stdout).not.toContain(state.adminToken);
    expect(new URL(state.urls.router).hostname).toBe('127.0.0.1');
    const clock = (await (await fetch(`${state.urls.router}/v1/clock`)).json()) as { speed: number };
    expect(clock.speed).toBe(600);
    expect((await fetch(`${state.urls.router}/admin/state`)).status).toBe(401);
    const authed = await fetch(`${state.urls.router}/admin/state`, {
      headers: { authorization: `Bearer ${state.adminToken}` },
    });
    expect(authed.status).toBe(200);

    const down = await execa('node', [bin, 'sandbox', 'down'], { cwd });
    expect(down.stdout).toContain(`stopped ${state.pids.length}`);
    expect(state.pids.filter(isProcessAlive)).toEqual([]);
  });
});
