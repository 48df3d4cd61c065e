import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProviderVerification, VerifyOptions } from './verify.ts';

/**
 * Runs provider verification in a child process whose stdout and stderr go to a log
 * file. Pact's native verifier prints its progress straight to file descriptor 1, which
 * no JavaScript can redirect; in-process it would corrupt `--json` output and CI logs.
 * Here it becomes evidence in the run folder (verifier.log), and the results come back
 * over IPC. Bounded: the child is killed after `timeoutMs`.
 */
export async function verifyProvidersIsolated(
  options: VerifyOptions,
  logFile: string,
  timeoutMs = 120_000,
): Promise<ProviderVerification[]> {
  const log = openSync(logFile, 'a');
  const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [], {
    // tsx resolved from here, not from the user's working directory.
    execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
    stdio: ['ignore', log, log, 'ipc'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  try {
    return await new Promise<ProviderVerification[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`provider verification did not finish within ${timeoutMs} ms (see ${logFile})`));
      }, timeoutMs);
      child.once('message', (message: { results?: ProviderVerification[]; error?: string }) => {
        clearTimeout(timer);
        if (message.results) resolve(message.results);
        else reject(new Error(`provider verification failed: ${message.error} (see ${logFile})`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`provider verification exited early (${signal ?? `code ${code}`}; see ${logFile})`));
      });
      child.send({ options });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    closeSync(log);
  }
}
