import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { ExitCode } from '../../core/exit-codes.ts';
import type { SandboxUpOptions } from '../../harness/cli/commands/sandbox.ts';
import { startClock } from '../clock/clock.ts';
import type { DefectName } from '../platform/defects.ts';
import { processLogDir, startWorldProcesses, stopProcesses } from './processes.ts';
import { defaultWorldConfig, type WorldUrls } from './topology.ts';
import { startWorld } from './world.ts';

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
  if (!existsSync(stateFile)) throw shipgateError('SG_SANDBOX_NOT_RUNNING', { stateFile });
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState;
  await stopProcesses(state.pids);
  rmSync(stateFile);
  process.stdout.write(`stopped ${state.pids.length} sandbox services\n`);
  return ExitCode.Pass;
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
