import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { ExitCode } from '../../core/exit-codes.ts';
import { startClock } from '../clock/clock.ts';
import type { DefectName } from '../platform/defects.ts';
import { isProcessAlive, processLogDir, startWorldProcesses, stopProcesses } from './processes.ts';
import { defaultWorldConfig, type WorldUrls } from './topology.ts';
import { startWorld } from './world.ts';

/** What `shipgate sandbox up` is asked for (the CLI's flags, parsed). */
export interface SandboxUpOptions {
  canaryDefect: string;
  speed: number;
  seed: number;
  detach?: boolean;
  inProcess?: boolean;
  stateFile: string;
  json?: boolean;
}

/** The state file (mode 600: it holds the admin token, which is never printed). */
interface SandboxState {
  startedAt: string;
  urls: WorldUrls;
  pids: number[];
  canaryDefect: string;
  speed: number;
  adminToken: string;
}

/** `shipgate sandbox up`: start the world, print its URLs, and serve until Ctrl-C (or detach). */
export async function sandboxUp(options: SandboxUpOptions): Promise<ExitCode> {
  refuseIfRunning(options.stateFile);
  const clock = startClock({ speed: options.speed });
  const config = defaultWorldConfig({
    anchor: clock.anchor,
    seed: options.seed,
    canaryDefect: options.canaryDefect as DefectName,
  });

  const record = (urls: WorldUrls, pids: number[]) => {
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const state: SandboxState = {
      startedAt: new Date().toISOString(),
      urls,
      pids,
      canaryDefect: options.canaryDefect,
      speed: options.speed,
      adminToken: config.adminToken,
    };
    writeFileSync(options.stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
    printUrls(urls, options);
  };
  const untilInterrupted = () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);

  if (options.inProcess) {
    const world = await startWorld({ ...config, anchor: clock.anchor });
    record(world.urls, [process.pid]);
    await untilInterrupted();
    await world.stop();
    rmSync(options.stateFile, { force: true });
    return ExitCode.Pass;
  }

  // Ctrl-C while the services start stops the ones already started.
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  const { urls, services } = await startWorldProcesses(config, processLogDir(options.stateFile), {
    detached: options.detach,
    signal: interrupted.signal,
  }).finally(() => process.off('SIGINT', interrupt).off('SIGTERM', interrupt));
  const pids = services.map((s) => s.pid);
  record(urls, pids);
  if (options.detach) {
    if (!options.json)
      process.stdout.write(`detached; stop with: shipgate sandbox down --state-file ${options.stateFile}\n`);
    return ExitCode.Pass;
  }
  await untilInterrupted();
  process.stdout.write('stopping…\n');
  await stopProcesses(pids);
  rmSync(options.stateFile, { force: true });
  return ExitCode.Pass;
}

/** `shipgate sandbox down`: stop the detached world recorded in the state file, by pid. */
export async function sandboxDown(stateFile: string): Promise<ExitCode> {
  const state = readState(stateFile);
  if (!state) throw shipgateError('SG_SANDBOX_NOT_RUNNING', { stateFile });
  const result = await stopProcesses(state.pids);
  if (result.survivors.length > 0) {
    // The state file stays, so `sandbox down` can be run again once the cause is fixed.
    throw shipgateError('SG_SANDBOX_STOP_FAILED', {
      processes: result.survivors.map(describeProcess).join(', '),
      stateFile,
    });
  }
  rmSync(stateFile);
  const lines = [
    `stopped ${result.stopped.length} sandbox services (pids ${result.stopped.join(', ') || 'none'})`,
  ];
  if (result.notRunning.length > 0)
    lines.push(
      `${result.notRunning.length} recorded services were no longer running (pids ${result.notRunning.join(', ')})`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.Pass;
}

function readState(stateFile: string): SandboxState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState;
  } catch (error) {
    throw shipgateError('SG_FILE_UNREADABLE', { file: stateFile, reason: (error as Error).message });
  }
}

/** A second `up` over a running detached sandbox would orphan it: its pids live only in the state file. */
function refuseIfRunning(stateFile: string): void {
  const alive = readState(stateFile)?.pids.filter(isProcessAlive) ?? [];
  if (alive.length > 0)
    throw shipgateError('SG_USAGE', {
      message: `a detached sandbox is already running (pids ${alive.join(', ')}, recorded in ${stateFile}); stop it first with: shipgate sandbox down --state-file ${stateFile}`,
    });
}

/** "pid 123", or "pid 123 (zombie: its parent 45 has not reaped it)" where /proc says so. */
function describeProcess(pid: number): string {
  try {
    const [, state, parent] = /\) (\S) (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? [];
    if (state === 'Z') return `pid ${pid} (zombie: its parent ${parent} has not reaped it)`;
  } catch {
    // no /proc (not Linux), or gone meanwhile
  }
  return `pid ${pid}`;
}

function printUrls(urls: WorldUrls, options: SandboxUpOptions): void {
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ urls, canaryDefect: options.canaryDefect, speed: options.speed }, null, 2)}\n`,
    );
    return;
  }
  const lines = [
    `sandbox up — canary defect: ${options.canaryDefect}, speed: ${options.speed} virtual s per real s`,
    `  router (order intake)  ${urls.router}`,
    `  platform stable        ${urls.stable}`,
    `  platform canary        ${urls.canary}`,
    `  inventory              ${urls.inventory}`,
    ...Object.entries(urls.carriers).map(([name, url]) => `  carrier ${name.padEnd(14)} ${url}`),
    `  metrics                <each url>/metrics`,
    process.env.SHIPGATE_ADMIN_TOKEN
      ? '  admin token            from SHIPGATE_ADMIN_TOKEN'
      : `  admin token            in ${options.stateFile} (mode 600; set SHIPGATE_ADMIN_TOKEN to choose it)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
