import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';

/**
 * A real Prometheus for the project's own runs and tests: config and TSDB in a temp
 * folder, bound to 127.0.0.1 on a free port, ready when `/-/ready` says so, stopped by
 * its pid (SIGTERM, then SIGKILL after a bound) with the folder removed.
 */

export const PROMETHEUS_BIN = process.env['SHIPGATE_PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  /** Scrape targets as host:port (path /metrics). */
  targets: readonly string[];
  scrapeIntervalMs?: number;
  /** Rule files to load (recording/alert rules), absolute paths. */
  rulesFiles?: readonly string[];
  /** Extra labels on every target, e.g. { job: 'logistics' } is already set. */
  job?: string;
  readyTimeoutMs?: number;
}

export interface RunningPrometheus {
  url: string;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export async function prometheusAvailable(): Promise<boolean> {
  try {
    await access(PROMETHEUS_BIN, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function duration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-prometheus-'));
  const interval = duration(options.scrapeIntervalMs ?? 1000);
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: options.rulesFiles ?? [],
    scrape_configs: [
      {
        job_name: options.job ?? 'logistics',
        scrape_interval: interval,
        scrape_timeout: interval,
        static_configs: [{ targets: [...options.targets] }],
      },
    ],
  };
  await writeFile(join(dir, 'prometheus.yml'), stringify(config));
  // The port is free when we look and Prometheus binds it a moment later; another
  // process can win that race, so try a few ports.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = execa(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        '--storage.tsdb.retention.time=2h',
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      {
        reject: false,
        stdin: 'ignore',
        stdout: 'ignore',
        stderr: 'pipe',
        cleanup: true,
        buffer: { stderr: true },
      },
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitReady(url, child, options.readyTimeoutMs ?? 20_000);
      const pid = child.pid!;
      let stopped: Promise<void> | undefined;
      return {
        url,
        pid,
        dir,
        stop: () => {
          stopped ??= stopProcess(child).finally(() => rm(dir, { recursive: true, force: true }));
          return stopped;
        },
      };
    } catch (error) {
      lastError = error;
      await stopProcess(child);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitReady(url: string, child: ResultPromise, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) {
      const result = await child;
      throw new Error(`prometheus exited (${result.exitCode}): ${String(result.stderr).slice(-500)}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus at ${url} not ready within ${timeoutMs} ms`);
}

/** SIGTERM by pid, SIGKILL if it has not exited within the bound. */
async function stopProcess(child: ResultPromise, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = child.then(
    () => true,
    () => true,
  );
  process.kill(child.pid, 'SIGTERM');
  const inTime = await Promise.race([
    exited,
    new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs)),
  ]);
  if (!inTime && child.exitCode === null) {
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }
}

/**
 * Waits until every target has been scraped, successfully, after `afterMs` (epoch ms):
 * how a test knows Prometheus has seen its last change.
 */
export async function waitForScrape(url: string, afterMs: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as {
      data: { activeTargets: { health: string; lastScrape: string; lastError: string; scrapeUrl: string }[] };
    };
    const targets = body.data.activeTargets;
    const pending = targets.filter((t) => t.health !== 'up' || Date.parse(t.lastScrape) <= afterMs);
    if (targets.length > 0 && pending.length === 0) return;
    last = pending.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join('; ');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `targets not scraped after ${new Date(afterMs).toISOString()} within ${timeoutMs} ms: ${last}`,
  );
}
