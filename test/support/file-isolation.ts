import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, vi } from 'vitest';

/**
 * Both lanes run their files one after another in shared workers (vitest.config.ts,
 * `isolate: false`), so what a file leaves behind, the next file inherits. Each file must
 * leave the process as it found it: environment, working directory, real timers,
 * unmocked stdout and stderr, no signal handler added, and no server or child process
 * still running. A file that does not fails here, naming what it left.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Node's handle names for a listening server and a child process. */
const LEFT_RUNNING = { TCPServerWrap: 'listening servers', ProcessWrap: 'child processes' } as const;

let env: Record<string, string | undefined>;
let cwd: string;
let listeners: number[];
let running: Record<string, number>;

const countRunning = () => {
  const handles = process.getActiveResourcesInfo();
  return Object.fromEntries(
    Object.keys(LEFT_RUNNING).map((name) => [name, handles.filter((h) => h === name).length]),
  );
};

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
  listeners = SIGNALS.map((signal) => process.listenerCount(signal));
  running = countRunning();
});

afterAll(async () => {
  const keys = new Set([...Object.keys(env), ...Object.keys(process.env)]);
  const changed = [...keys].filter((key) => env[key] !== process.env[key]).sort();
  expect(changed, 'environment variables this test file left changed').toEqual([]);
  expect(process.cwd(), 'working directory this test file left changed').toBe(cwd);
  expect(vi.isFakeTimers(), 'this test file left fake timers on').toBe(false);
  expect(vi.isMockFunction(process.stdout.write), 'this test file left process.stdout.write mocked').toBe(
    false,
  );
  expect(vi.isMockFunction(process.stderr.write), 'this test file left process.stderr.write mocked').toBe(
    false,
  );
  expect(
    SIGNALS.map((signal) => process.listenerCount(signal)),
    `${SIGNALS.join(', ')} listeners this test file left added`,
  ).toEqual(listeners);
  // A closed server or an exited child can take a few event-loop turns to release its handle.
  const deadline = Date.now() + 2_000;
  let now = countRunning();
  while (Object.keys(now).some((k) => now[k]! > running[k]!) && Date.now() < deadline) {
    await sleep(50);
    now = countRunning();
  }
  for (const [handle, what] of Object.entries(LEFT_RUNNING))
    expect(now[handle], `${what} this test file left running`).toBeLessThanOrEqual(running[handle]!);
});
