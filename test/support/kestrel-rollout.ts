import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActuator } from '../../canary/actuators/create.ts';
import type { RolloutConfig } from '../../canary/controller/config.ts';
import { type CanaryLayerResult, runCanaryLayer } from '../../canary/controller/run-layer.ts';
import type { MetricDecl } from '../../canary/metrics/catalogue.ts';
import type { MetricSource } from '../../canary/sources/source.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import type { DefectName } from '../../examples/own-platform/defects.ts';
import { type RunningPlatform, startPlatform } from '../../examples/own-platform/platform.ts';
import { writeCanaryReport } from '../../harness/cli/actions/canary-output.ts';
import { driveKestrel, type KestrelTraffic } from './kestrel-traffic.ts';

/**
 * The canary layer on the example platform (Kestrel), from outside as a user would
 * wire it: Kestrel's own series judged through metric declarations in its names,
 * its switchboard driven by the `http` actuator, customers' requests flowing through the
 * switchboard meanwhile. Test support: it starts the platform, runs one rollout, and
 * returns what the switchboard and the run folder say.
 */

/** Kestrel's metrics, in its own names and its build label `release_track`. */
export const KESTREL_METRICS: readonly MetricDecl[] = [
  {
    id: 'failed_share',
    title: 'Failed fulfilment requests',
    description: 'Share of PUT /fulfilment/requests answered 5xx.',
    kind: 'events',
    bad: { series: 'kestrel_fulfilment_requests_total', matchers: { result: 'failed' } },
    total: { series: 'kestrel_fulfilment_requests_total' },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.01 },
  },
  {
    id: 'slow_handling',
    title: 'Requests slower than 320 ms',
    description: 'Share of fulfilment requests answered after more than 320 ms.',
    kind: 'events',
    bad: { histogram: 'kestrel_fulfilment_handling_ms', le: 320 },
    total: { series: 'kestrel_fulfilment_handling_ms_count' },
    indicator: 'leading',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.05 },
  },
  {
    id: 'late_share',
    title: 'Late deliveries',
    description: 'Share of delivered parcels that arrived after the promised date.',
    kind: 'events',
    bad: { series: 'kestrel_parcels_delivered_total', matchers: { punctuality: 'late' } },
    total: { series: 'kestrel_parcels_delivered_total' },
    indicator: 'lagging',
    unit: 'ratio',
    direction: 'higher-is-worse',
    slo: { op: '<=', value: 0.08 },
  },
];

export const KESTREL_VERSIONS = { canary: 'next', baseline: 'current' } as const;

/** Environment a config's `{{env.…}}` templates read, from the running platform. */
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

/** The http actuator exactly as examples/own-platform/shipgate.config.ts describes it. */
export function switchboardActuator(platform: RunningPlatform) {
  const headers = { 'X-Ops-Key': platform.opsKey };
  const split = { method: 'PATCH' as const, url: `${platform.urls.entry}/ops/split`, headers };
  return createActuator(
    {
      kind: 'http',
      requests: {
        setWeight: { ...split, body: '{"nextPercent": {{weight}}}', expectStatus: [200] },
        promote: { ...split, body: '{"nextPercent": 100}', expectStatus: [200] },
        rollback: { ...split, body: '{"nextPercent": 0}', expectStatus: [200] },
        state: { method: 'GET', url: `${platform.urls.entry}/ops/split`, headers },
      },
      answer: { weight: 'nextPercent' },
      env: {},
    },
    {
      missing: (setting) => {
        throw new Error(`missing ${setting}`);
      },
    },
  );
}

export interface KestrelRolloutOptions {
  defects?: DefectName[];
  seed: number;
  /** Requests per real second through the switchboard. */
  perSecond: number;
  timeScale: number;
  rollout: Partial<RolloutConfig>;
  source: (
    platform: RunningPlatform,
  ) => Promise<{ source: MetricSource; name: string; stop?: () => Promise<void> }>;
  metrics?: readonly MetricDecl[];
}

export interface KestrelRollout {
  result: CanaryLayerResult;
  /** The switchboard after the rollout. */
  split: { nextPercent: number; changes: number };
  journal: Record<string, unknown>[];
  traffic: KestrelTraffic;
  realMs: number;
  /** report.json and report.md as `shipgate canary run` writes them. */
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
  let stopSource: (() => Promise<void>) | undefined;
  try {
    const { source, name, stop } = await options.source(platform);
    stopSource = stop;
    traffic = driveKestrel({ entry: platform.urls.entry, perSecond: options.perSecond, seed: options.seed });
    const run = openRunFolder(dir);
    const started = Date.now();
    const result = await runCanaryLayer({
      source,
      sourceName: name,
      actuator: switchboardActuator(platform),
      run,
      versions: KESTREL_VERSIONS,
      metrics: options.metrics ?? KESTREL_METRICS,
      rollout: options.rollout,
      afterRollout: () => traffic!.stop(),
    });
    const realMs = Date.now() - started;
    writeCanaryReport(run, 'canary run', result.section, result.versions);
    const journal = readFileSync(run.journal.file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return {
      result,
      split: await switchboardSplit(platform),
      journal,
      traffic,
      realMs,
      reportJson: readFileSync(join(dir, 'report.json'), 'utf8'),
      reportMd: readFileSync(join(dir, 'report.md'), 'utf8'),
    };
  } finally {
    await traffic?.stop();
    await stopSource?.();
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
