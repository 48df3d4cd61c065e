import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openRunFolder } from '../../../core/run/run-folder.ts';
import { startFailingCanaryExporter } from '../../../test/support/canary-exporter.ts';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { startTarget } from '../../targets/gate-target.ts';
import type { GateProgress } from '../progress.ts';
import { runCanary } from './canary.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  while (cleanups.length) await cleanups.pop()!();
});

describe("the gate's canary layer on a platform you run", () => {
  it('compares release.baselineVersion, not "stable", and names the rollout by the run id, not by its folder', async () => {
    // The platform labels its baseline "primary" and its failing candidate "canary".
    const exporter = await startFailingCanaryExporter(1000, { canary: 'canary', baseline: 'primary' });
    cleanups.push(exporter.close);
    const hook = await startWebhookReceiver('hook-secret');
    cleanups.push(hook.close);
    vi.stubEnv('SG_TEST_HOOK_TOKEN', 'hook-secret');
    const config = resolveConfig({
      release: { name: 'r', candidateVersion: 'canary', baselineVersion: 'primary' },
      target: {
        kind: 'urls',
        stable: 'http://127.0.0.1:9/stable',
        canary: 'http://127.0.0.1:9/canary',
        metrics: [`${exporter.url}/metrics`],
      },
      layers: ['canary'],
      canary: {
        source: { kind: 'direct-scrape' },
        steps: [50, 100],
        interval: '100ms',
        minStep: '0ms',
        minStepSamples: 0,
        maxDuration: '20s',
        minCanarySamples: 10,
        inconclusive: { budget: 3 },
        actuator: { kind: 'webhook', url: hook.url, tokenEnv: 'SG_TEST_HOOK_TOKEN' },
        blastRadius: false,
      },
    });
    const root = mkdtempSync(join(tmpdir(), 'sg-gate-canary-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    // Before: the run id was the text after the path's last dash, "18400/gate".
    const dir = join(root, 'run-east-18400', 'gate');
    mkdirSync(dir, { recursive: true });
    const run = openRunFolder(dir);
    const target = await startTarget(config);
    const progress: GateProgress = () => {};
    const result = await runCanary(config, target, run, progress);

    expect(result.outcome).toBe('rolled_back');
    expect(result.section.status).toBe('fail'); // on evidence: the baseline's data was read
    const started = readFileSync(run.journal.file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'canary.started');
    expect(started.versions).toEqual({ canary: 'canary', baseline: 'primary' });
    expect(run.id).toMatch(/^[0-9a-f]{6}$/);
    expect(hook.calls.length).toBeGreaterThan(0);
    expect(new Set(hook.calls.map((c) => c.rolloutId))).toEqual(new Set([run.id]));
    expect(hook.calls.at(-1)).toMatchObject({ action: 'rollback' });
  }, 60_000);
});
