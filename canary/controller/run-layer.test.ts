import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { startFailingCanaryExporter } from '../../test/support/canary-exporter.ts';
import { DEFAULT_INCONCLUSIVE_BUDGET } from '../judges/inconclusive-budget.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import { KESTREL_LIKE } from '../metrics/fixtures/kestrel-like.ts';
import { toMetricDecl } from '../metrics/from-definition.ts';
import { CATALOGUE } from '../metrics/presets/builtin.ts';
import { createSource } from '../sources/create.ts';
import { runCanaryLayer } from './run-layer.ts';
import { memoryActuator } from './testing.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const FAST = {
  steps: [50, 100],
  intervalMs: 100,
  minStepMs: 0,
  minStepSamples: 0,
  maxTotalMs: 20_000,
  inconclusive: { ...DEFAULT_INCONCLUSIVE_BUDGET, maxConsecutive: 3 },
};

async function rollout(
  exported: { canary: string; baseline: string },
  compared: typeof exported,
  metrics?: MetricDecl[],
  settings: Partial<typeof FAST> = {},
) {
  const exporter = await startFailingCanaryExporter(1000, exported);
  cleanups.push(exporter.close);
  const dir = mkdtempSync(join(tmpdir(), 'sg-canary-layer-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const run = openRunFolder(dir);
  const actuator = memoryActuator();
  const result = await runCanaryLayer({
    source: createSource({ kind: 'direct-scrape', endpoints: [`${exporter.url}/metrics`] }),
    sourceName: 'direct-scrape',
    actuator,
    run,
    versions: compared,
    rollout: { ...FAST, ...settings },
    ...(metrics ? { metrics } : {}),
  });
  const journal = readFileSync(run.journal.file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { result, journal, actuator };
}

describe('the canary layer runner', () => {
  it('judges the label values it is given: a failing canary against a baseline labelled "primary" is rolled back on evidence', async () => {
    const { result, journal, actuator } = await rollout(
      { canary: 'canary', baseline: 'primary' },
      { canary: 'canary', baseline: 'primary' },
    );
    expect(result.section.status).toBe('fail');
    expect(result.outcome.exitCode).toBe(1);
    expect(result.versions).toEqual({ canary: 'canary', baseline: 'primary' });
    expect(journal.find((e) => e.type === 'canary.started').versions).toEqual({
      canary: 'canary',
      baseline: 'primary',
    });
    expect(actuator.phase).toBe('rolled_back');
    const errors = result.section.checks.find((c) => c.id === 'canary/error_rate')!;
    expect(errors.evidence.baseline?.samples).toBeGreaterThan(0);
    // Every check names what the source read for it, with the versions compared.
    expect(errors.evidence.details?.queries).toEqual([
      expect.stringMatching(
        /^bad: logistics_orders_processed_total\{outcome="error", version=~"canary\|primary"\} \(direct scrape of http/,
      ),
      expect.stringMatching(/^total: logistics_orders_processed_total\{version=~"canary\|primary"\} /),
    ]);
    expect(errors.evidence.details?.['source']).toBe('direct-scrape');
  }, 30_000);

  it('names the side without data and the selector that found nothing', async () => {
    // The platform labels its baseline "stable"; the rollout was told "primary".
    const { result } = await rollout(
      { canary: 'canary', baseline: 'stable' },
      { canary: 'canary', baseline: 'primary' },
    );
    expect(result.section.status).toBe('inconclusive');
    const errors = result.section.checks.find((c) => c.id === 'canary/error_rate')!;
    expect(errors.status).toBe('inconclusive');
    expect(errors.message).toContain('No data from the baseline (version "primary")');
    expect(errors.message).toContain('logistics_orders_processed_total{version=~"canary|primary"}');
    expect(errors.message).not.toContain('No data from the canary');
    expect(errors.evidence.details?.noData).toEqual([
      {
        side: 'baseline',
        version: 'primary',
        reason: expect.stringContaining('no series for version "primary"'),
      },
    ]);
    const evidence = result.section.checks.find((c) => c.id === 'canary/evidence')!;
    expect(evidence.message).toMatch(/No data from the baseline \(version "primary"\): .*logistics_/);
  }, 30_000);

  it('a metric whose query matches no series for either side is a config error before the rollout acts, after a rollback', async () => {
    const misnamed = toMetricDecl(KESTREL_LIKE[1]!); // kestrel_fulfilment_handling_ms: not on this platform
    const failure = await rollout(
      { canary: 'canary', baseline: 'stable' },
      { canary: 'canary', baseline: 'stable' },
      [...CATALOGUE.filter((m) => m.id === 'processing_over_slo'), misnamed],
      // Nothing to judge on the misnamed metric: the rollout would act at its time limit.
      { maxTotalMs: 1500 },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'SG_METRICS_NO_SERIES', exitCode: 2 });
    const message = (failure as Error).message;
    expect(message).toContain(
      'metric slow_fulfilment: series kestrel_fulfilment_handling_ms_count{version=~"canary|stable"}',
    );
    expect(message).toContain(
      'for the canary (version "canary") and the baseline (version "stable") in direct-scrape',
    );
  }, 30_000);

  it('labels that match nothing at all (wrong version values) are a config error once the budget runs out', async () => {
    const failure = await rollout(
      { canary: 'canary', baseline: 'stable' },
      { canary: 'next', baseline: 'current' },
      CATALOGUE.filter((m) => m.id === 'error_rate'),
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'SG_METRICS_NO_SERIES' });
    expect((failure as Error).message).toContain('version "next"');
  }, 30_000);

  it('refuses to resume a run folder whose journal holds no rollout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-canary-layer-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const run = openRunFolder(dir);
    run.journal.append({ type: 'something.else' });
    await expect(
      runCanaryLayer({
        source: createSource({ kind: 'direct-scrape', endpoints: ['http://127.0.0.1:9/metrics'] }),
        sourceName: 'direct-scrape',
        actuator: memoryActuator(),
        run,
        resume: true,
      }),
    ).rejects.toThrow(/holds no canary rollout to resume/);
  });
});
