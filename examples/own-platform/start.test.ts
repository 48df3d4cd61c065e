import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { refuses } from './port-check.ts';
import { putRequest, sampleRequest } from './sample-order.ts';

/** The CLI as a user runs it: a real process, its ready line, a signal by pid. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START = new URL('./start.ts', import.meta.url).pathname;

function launch(args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX, START, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 30 s; stderr: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    exited.then(({ code }) => reject(new Error(`exited with ${code} before ready; stderr: ${stderr}`)));
  });
  return { child, ready, exited, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('start.ts', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints its URLs when ready and leaves nothing running after %s',
    async (signal) => {
      const run = launch(['--time-scale', '7200', '--defect', 'brownout', '--ops-key', 'k-1']);
      try {
        const ready = await run.ready;
        expect(ready).toMatchObject({
          ready: true,
          pid: run.child.pid,
          timeScale: 7200,
          defects: ['brownout'],
          opsKey: 'k-1',
        });
        const servers = ['entry', 'current', 'next', 'depot', 'gullwing'].map((k) => String(ready[k]));
        expect((await putRequest(String(ready.entry), 'cli-0001', sampleRequest())).status).toBe(201);

        process.kill(run.child.pid!, signal);
        const exit = await Promise.race([
          run.exited,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('not stopped in 15 s')), 15_000),
          ),
        ]);
        expect(exit).toEqual({ code: 0, signal: null });
        expect(alive(run.child.pid!)).toBe(false);
        for (const url of servers) expect(await refuses(url), url).toBe(true);
      } finally {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      }
    },
  );

  it('refuses an unknown defect or flag with exit 2, naming what is wrong', async () => {
    const defect = launch(['--defect', 'gremlins']);
    const flag = launch(['--colour', 'blue']);
    for (const run of [defect, flag]) run.ready.catch(() => undefined);
    expect((await defect.exited).code).toBe(2);
    expect(defect.stderr()).toContain('unknown defect "gremlins"; known: slow-highlands');
    expect((await flag.exited).code).toBe(2);
    expect(flag.stderr()).toContain("Unknown option '--colour'");
  });
});
