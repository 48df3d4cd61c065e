import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../core/report/model.ts';
import type { DefectName } from '../../examples/own-platform/defects.ts';
import { type RunningPlatform, startPlatform } from '../../examples/own-platform/platform.ts';
import { loadConfig, validateConfig } from '../../harness/config/load.ts';
import type { ShipgateConfig } from '../../harness/config/schema.ts';
import { runGate } from '../../harness/gate/run.ts';
import { type RunningPrometheus, startPrometheus, waitForScrape } from '../../harness/prometheus/start.ts';
import { driveKestrel, type KestrelTraffic } from './kestrel-traffic.ts';

/**
 * The canary gate on the example platform (Kestrel) as a user runs it: the example's
 * own config (examples/own-platform/shipgate.config.ts: Kestrel's metrics, its build
 * label, its switchboard as requests), the platform's URLs and keys in the environment,
 * customers' requests through the switchboard meanwhile. Test support: it starts the
 * platform (and a Prometheus scraping it, when asked), runs the gate's canary layer,
 * and returns what the switchboard, the journal and the reports say.
 */
export const KESTREL_CONFIG = join(
  import.meta.dirname,
  '..',
  '..',
  'examples',
  'own-platform',
  'shipgate.config.ts',
);

type CanaryConfig = NonNullable<ShipgateConfig['canary']>;

/** What the config's `{{env.…}}` templates and `process.env` reads need, from the running platform. */
export function kestrelEnv(platform: RunningPlatform): Record<string, string> {
  return {
    KESTREL_ENTRY_URL: platform.urls.entry,
    KESTREL_OPS_KEY: platform.opsKey,
    KESTREL_CURRENT_URL: platform.urls.current,
    KESTREL_NEXT_URL: platform.urls.next,
    KESTREL_DEPOT_URL: platform.urls.depot,
    KESTREL_DEPOT_TOKEN: platform.depotToken,
  };
}

/** The switchboard's own account of its split: `changes` counts every PATCH. */
export async function switchboardSplit(
  platform: RunningPlatform,
): Promise<{ nextPercent: number; changes: number }> {
  const res = await fetch(`${platform.urls.entry}/ops/split`, {
    headers: { 'X-Ops-Key': platform.opsKey },
  });
  return (await res.json()) as { nextPercent: number; changes: number };
}

/**
 * A real Prometheus (the project's script: loopback, temp folder, stopped by pid)
 * scraping Kestrel's three /metrics every second, once it has scraped each of them:
 * every counter's starting point must be in it before the rollout's first snapshot.
 */
export async function prometheusFor(platform: RunningPlatform): Promise<RunningPrometheus> {
  const prom = await startPrometheus({
    targets: platform.urls.metrics.map((url) => new URL(url).host),
    scrapeIntervalMs: 1000,
    job: 'kestrel',
  });
  try {
    await waitForScrape(prom.url, Date.now(), 15_000);
  } catch (error) {
    await prom.stop();
    throw error;
  }
  return prom;
}

/** Runs `body` with `vars` in process.env (the config reads them when loaded, the actuator when built). */
export async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface KestrelRolloutOptions {
  defects?: DefectName[];
  seed: number;
  /** Requests per real second through the switchboard. */
  perSecond: number;
  timeScale: number;
  /** Changes to the example's canary config: the test's short timings, a direct-scrape source. */
  canary: (platform: RunningPlatform) => Partial<CanaryConfig>;
  /** Start a Prometheus scraping the platform and hand its URL to the config (KESTREL_PROMETHEUS_URL). */
  prometheus?: boolean;
}

export interface KestrelRollout {
  report: Report;
  section: NonNullable<Report['layers']['canary']>;
  exitCode: number;
  /** The switchboard after the rollout. */
  split: { nextPercent: number; changes: number };
  journal: Record<string, unknown>[];
  traffic: KestrelTraffic;
  realMs: number;
  /** report.json and report.md as the gate wrote them. */
  reportJson: string;
  reportMd: string;
}

export async function rolloutOnKestrel(options: KestrelRolloutOptions): Promise<KestrelRollout> {
  const platform = await startPlatform({
    seed: options.seed,
    timeScale: options.timeScale,
    defects: options.defects ?? [],
  });
  const dir = mkdtempSync(join(tmpdir(), 'sg-kestrel-canary-'));
  let traffic: KestrelTraffic | undefined;
  let prom: RunningPrometheus | undefined;
  try {
    if (options.prometheus) prom = await prometheusFor(platform);
    const env = { ...kestrelEnv(platform), ...(prom ? { KESTREL_PROMETHEUS_URL: prom.url } : {}) };
    return await withEnv(env, async () => {
      const loaded = await loadConfig({ file: KESTREL_CONFIG });
      const changed: ShipgateConfig = {
        ...loaded.config,
        layers: ['canary'],
        canary: { ...loaded.config.canary, ...options.canary(platform) },
      };
      const config = validateConfig(changed, KESTREL_CONFIG).resolved;
      traffic = driveKestrel({
        entry: platform.urls.entry,
        perSecond: options.perSecond,
        seed: options.seed,
      });
      const started = Date.now();
      const result = await runGate({ config, runDir: dir, progress: () => {} });
      const realMs = Date.now() - started;
      await traffic.stop();
      const read = (name: string) => readFileSync(join(dir, name), 'utf8');
      return {
        report: result.report,
        section: result.report.layers.canary!,
        exitCode: result.exitCode,
        split: await switchboardSplit(platform),
        journal: read('journal.jsonl')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
        traffic,
        realMs,
        reportJson: read('report.json'),
        reportMd: read('report.md'),
      };
    });
  } finally {
    await traffic?.stop();
    await prom?.stop();
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
