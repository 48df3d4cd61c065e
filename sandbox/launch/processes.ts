import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { shipgateError } from '../../core/errors.ts';
import { type PartialWorldUrls, stages, type WorldConfig, type WorldUrls } from './topology.ts';

export interface ProcessService {
  name: string;
  url: string;
  pid: number;
  log: string;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
/** tsx's loader, resolved from here so the children find it whatever their working directory. */
const TSX = import.meta.resolve('tsx');
const READY_TIMEOUT_MS = 90_000;

/**
 * Starts the world as one process per service, in dependency order. Each child's
 * output goes to a log file in `dir`, so a detached sandbox outlives this process
 * without writing to a closed pipe.
 */
export async function startWorldProcesses(
  config: WorldConfig,
  dir: string,
  options: { detached?: boolean; signal?: AbortSignal } = {},
): Promise<{ urls: WorldUrls; services: ProcessService[] }> {
  mkdirSync(dir, { recursive: true });
  const urls: PartialWorldUrls = { carriers: {} };
  const services: ProcessService[] = [];
  // Every child spawned, ready or not, so a failed or interrupted start leaves none behind.
  const spawned: number[] = [];
  // Ready files are named for this start: a file left by an earlier start is never read.
  const start = randomUUID().slice(0, 8);
  try {
    for (const stage of stages(config)) {
      const started = await Promise.all(
        stage.map(async (spec) => {
          const log = resolve(dir, `${spec.name}.log`);
          const readyFile = resolve(dir, `${spec.name}.${start}.ready.json`);
          // node's spawn rather than execa: a detached child must not keep this process's
          // event loop alive, and execa holds its child until the child ends.
          const out = openSync(log, 'a');
          const child = spawn(process.execPath, ['--import', TSX, SERVE], {
            env: {
              ...process.env,
              SHIPGATE_SERVICE: JSON.stringify({ spec, config, urls }),
              SHIPGATE_READY_FILE: readyFile,
            },
            stdio: ['ignore', out, out],
            detached: options.detached ?? false,
          });
          closeSync(out);
          if (child.pid !== undefined) spawned.push(child.pid);
          if (options.detached) child.unref();
          const ready = await waitForReady(readyFile, child, spec.name, log, options.signal);
          return { spec, service: { name: spec.name, url: ready.url, pid: ready.pid, log } };
        }),
      );
      for (const { spec, service } of started) {
        services.push(service);
        if (spec.kind === 'carrier') urls.carriers[spec.name] = service.url;
        else urls[spec.name] = service.url;
      }
    }
  } catch (error) {
    await stopProcesses(spawned);
    throw error;
  }
  return { urls: urls as WorldUrls, services };
}

async function waitForReady(
  readyFile: string,
  child: { exitCode: number | null; pid?: number },
  name: string,
  log: string,
  signal?: AbortSignal,
): Promise<{ url: string; pid: number }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (signal?.aborted)
      throw shipgateError('SG_SANDBOX_START_FAILED', { service: name, reason: 'interrupted' });
    if (existsSync(readyFile)) {
      // The child writes it atomically (rename), so it is complete once it exists.
      const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string; pid: number };
      rmSync(readyFile, { force: true });
      if (ready.pid !== child.pid)
        throw shipgateError('SG_SANDBOX_START_FAILED', {
          service: name,
          reason: `its ready file names pid ${ready.pid}, not the process started (${child.pid})`,
        });
      return ready;
    }
    if (child.exitCode !== null) {
      throw shipgateError('SG_SANDBOX_START_FAILED', {
        service: name,
        reason: `exited with code ${child.exitCode}; see ${log}`,
      });
    }
    await sleep(50);
  }
  throw shipgateError('SG_SANDBOX_START_FAILED', {
    service: name,
    reason: `not ready within ${READY_TIMEOUT_MS / 1000}s; see ${log}`,
  });
}

export interface StopResult {
  /** Running when asked to stop, and gone now. */
  stopped: number[];
  /** Already gone before any signal. */
  notRunning: number[];
  /** Still there after SIGTERM, the grace period, SIGKILL and a last wait. */
  survivors: number[];
}

/** Stops processes by pid: SIGTERM, then SIGKILL for any still alive after a grace period. */
export async function stopProcesses(pids: readonly number[], graceMs = 5_000): Promise<StopResult> {
  const running = pids.filter(isProcessAlive);
  for (const pid of running) signal(pid, 'SIGTERM');
  await until(() => !running.some(isProcessAlive), graceMs);
  for (const pid of running.filter(isProcessAlive)) signal(pid, 'SIGKILL');
  await until(() => !running.some(isProcessAlive), 2_000);
  const survivors = running.filter(isProcessAlive);
  return {
    stopped: running.filter((pid) => !survivors.includes(pid)),
    notRunning: pids.filter((pid) => !running.includes(pid)),
    survivors,
  };
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(50);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const processLogDir = (stateFile: string) => join(resolve(stateFile, '..'), 'sandbox');
