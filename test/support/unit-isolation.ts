import { afterAll, beforeAll, expect, vi } from 'vitest';

/**
 * The unit lane runs its files one after another in a shared worker (vitest.config.ts,
 * `isolate: false`), so what a file leaves behind, the next file inherits. Each unit
 * file must restore the process as it found it: environment, working directory, real
 * timers, unmocked stdout and stderr. A file that does not fails here, naming what it left changed.
 */
let env: Record<string, string | undefined>;
let cwd: string;

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
});

afterAll(() => {
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
});
