import { vi } from 'vitest';
import { run } from './program.ts';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `shipgate ARGS` in this process, as bin/shipgate.js does after its loader, and
 * returns what it printed and the exit code it set. For tests about what a command does
 * (its checks, messages, files and exit code): a `node bin/shipgate.js` start costs 3–5
 * CPU-seconds before the command runs. A test about the process itself (the launcher,
 * signals, a detached world, exiting with nothing left running) starts one.
 * The working directory, environment, exit code and stdio are restored afterwards.
 */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const env = Object.entries(options.env ?? {});
  const saved = env.map(([name]) => [name, process.env[name]] as const);
  const setEnv = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  for (const [name, value] of env) setEnv(name, value);
  try {
    if (options.cwd) process.chdir(options.cwd);
    process.exitCode = undefined;
    await run(['node', 'shipgate', ...args]);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = exitCode;
    process.chdir(cwd);
    for (const [name, value] of saved) setEnv(name, value);
    out.mockRestore();
    err.mockRestore();
  }
}
