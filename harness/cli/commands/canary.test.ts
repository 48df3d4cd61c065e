import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld } from '../../../sandbox/launch/world.ts';
import { feedOrders } from '../../../scenarios/feed/steady.ts';
import { startFailingCanaryExporter } from '../../../test/support/canary-exporter.ts';
import { startFakePushgateway } from '../../../test/support/fake-pushgateway.ts';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { runCli } from '../testing.ts';

/**
 * `shipgate canary ...` as a user runs it: real exit codes, the run folder. Refusals and
 * the one-shot judge run in-process (runCli); rollouts as a real process.
 */
const MAIN = join(import.meta.dirname, '..', 'main.ts');
const shipgate = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    reject: false,
    timeout: 60_000,
    env: { SHIPGATE_GATE_TOKEN: '', SHIPGATE_ADMIN_TOKEN: '', ...env },
  });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cli-canary-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('shipgate canary', () => {
  it('serve refuses to start without SHIPGATE_GATE_TOKEN (exit 2)', async () => {
    const result = await runCli(['canary', 'serve', '--scrape', 'http://127.0.0.1:9/metrics'], {
      env: { SHIPGATE_GATE_TOKEN: undefined },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/SG_CANARY_TOKEN_MISSING: SHIPGATE_GATE_TOKEN is not set/);
  });

  it('run needs a metric source (exit 2)', async () => {
    const result = await runCli(['canary', 'run', '--router', 'http://127.0.0.1:9'], {
      env: { SHIPGATE_ADMIN_TOKEN: 'x' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--prometheus URL or --scrape URL/);
  });

  it('judge: one judgement from a direct scrape, exit 1 on a failing canary, report in the run folder', async () => {
    const { url, close } = await startFailingCanaryExporter(1000);
    cleanups.push(close);
    const dir = tempDir();
    const result = await runCli([
      'canary',
      'judge',
      '--scrape',
      `${url}/metrics`,
      '--window',
      '200ms',
      '--run-dir',
      dir,
      '--json',
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'fail', exitCode: 1 });
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.decision).toMatchObject({ verdict: 'fail', exitCode: 1 });
    expect(report.layers.canary.checks.find((c: { id: string }) => c.id === 'canary/error_rate').status).toBe(
      'fail',
    );
  });

  it('run: rolls back the latency canary in the sandbox, exit 1, with report and blast-radius.csv', async () => {
    const world = await startWorld({
      canaryDefect: 'latency-under-load',
      speed: 3600,
      latency: 'none',
      seed: 5,
    });
    cleanups.push(() => world.stop());
    const feeder = feedOrders({
      router: world.urls.router,
      virtualNow: () => world.clock.now(),
      perSecond: 30,
      seed: 'cli',
    });
    cleanups.push(() => feeder.stop());
    const dir = tempDir();
    const pushgateway = await startFakePushgateway();
    cleanups.push(pushgateway.close);
    const result = await shipgate(
      [
        'canary',
        'run',
        '--router',
        world.urls.router,
        '--scrape',
        `${world.urls.stable}/metrics`,
        '--scrape',
        `${world.urls.canary}/metrics`,
        '--canary-url',
        world.urls.canary,
        '--steps',
        '10,50,100',
        '--interval',
        '250ms',
        '--min-step',
        '1s',
        '--min-samples',
        '5',
        '--max-duration',
        '40s',
        '--run-dir',
        dir,
        '--json',
      ],
      { SHIPGATE_ADMIN_TOKEN: world.config.adminToken, SHIPGATE_PUSHGATEWAY_URL: pushgateway.url },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const out = JSON.parse(result.stdout);
    // shipgate's own series reached the Pushgateway named in the environment: the weight
    // back at 0 after the rollback, one canary verdict (fail) and its metrics' checks.
    const runId = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).runId;
    expect(runId).toMatch(/^[0-9a-f]{6}$/);
    expect(pushgateway.pushes.at(-1)).toMatchObject({ job: 'shipgate', run: runId });
    const pushed = pushgateway.last();
    expect(pushed).toMatch(/^shipgate_canary_weight 0$/m);
    expect(pushed).toMatch(/^shipgate_gate_verdicts_total\{layer="canary",verdict="fail"\} 1$/m);
    expect(pushed).toMatch(/^shipgate_gate_checks_total\{layer="canary",metric="\w+",status="fail"\} 1$/m);
    expect(out).toMatchObject({ outcome: 'rolled_back', exitCode: 1, resumed: false });
    expect(out.blastRadius.served).toBeGreaterThan(0);
    const state = (await (
      await fetch(`${world.urls.router}/admin/state`, {
        headers: { authorization: `Bearer ${world.config.adminToken}` },
      })
    ).json()) as { phase: string };
    expect(state.phase).toBe('rolled_back');
    for (const file of ['journal.jsonl', 'report.json', 'blast-radius.csv'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.layers.canary.decision).toMatchObject({ action: 'rollback' });
    expect(report.layers.canary.blastRadius.csvFile).toBe('blast-radius.csv');
    // Resuming a finished run changes nothing and reports the same outcome.
    const again = await shipgate(
      [
        'canary',
        'run',
        '--router',
        world.urls.router,
        '--scrape',
        `${world.urls.canary}/metrics`,
        '--resume',
        dir,
        '--json',
      ],
      {
        SHIPGATE_ADMIN_TOKEN: world.config.adminToken,
      },
    );
    expect(again.exitCode, again.stderr).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'rolled_back', resumed: true });
  }, 90_000);

  it('run --actuator webhook: the rolloutId is the run id (not text from --run-dir), the same after --resume', async () => {
    const { url, close } = await startFailingCanaryExporter(1000);
    cleanups.push(close);
    const hook = await startWebhookReceiver('hook-secret');
    cleanups.push(hook.close);
    const { calls } = hook;
    // Before: this folder's run id, and so the rolloutId, was "18400/gate".
    const dir = join(tempDir(), 'run-east-18400', 'gate');
    mkdirSync(dir, { recursive: true });
    const env = { SHIPGATE_WEBHOOK_TOKEN: 'hook-secret' };
    const flags = ['--actuator', 'webhook', '--webhook', hook.url, '--scrape', `${url}/metrics`];
    const result = await shipgate(
      [
        'canary',
        'run',
        ...flags,
        '--steps',
        '50,100',
        '--interval',
        '100ms',
        '--min-step',
        '0ms',
        '--run-dir',
        dir,
        '--json',
      ],
      env,
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const runId = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).runId;
    expect(runId).toMatch(/^[0-9a-f]{6}$/);
    expect(calls.at(-1)).toEqual({ action: 'rollback', rolloutId: runId });
    expect(new Set(calls.map((c) => c.rolloutId))).toEqual(new Set([runId]));
    const again = await shipgate(['canary', 'run', ...flags, '--resume', dir, '--json'], env);
    expect(again.exitCode, again.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).runId).toBe(runId);
  }, 120_000);

  it("run --config: the gate's config (canary-only, no order URLs), its metrics and labels; flags override it", async () => {
    // The platform labels its builds release_track=current|next; its config says so.
    const { url, close } = await startFailingCanaryExporter(1000, { canary: 'next', baseline: 'current' });
    cleanups.push(close);
    const hook = await startWebhookReceiver('hook-secret');
    cleanups.push(hook.close);
    const dir = tempDir();
    const config = join(dir, 'shipgate.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        layers: ['canary'],
        target: { kind: 'urls' },
        canary: {
          source: { kind: 'direct-scrape', endpoints: [`${url}/metrics`] },
          actuator: { kind: 'webhook', url: hook.url, tokenEnv: 'HOOK_TOKEN' },
          versions: { label: 'version', canary: 'next', baseline: 'current' },
          use: ['error_rate'],
          steps: [10, 100],
          interval: '5s',
          minStep: '0ms',
          minStepSamples: 0,
        },
      }),
    );
    const runDir = join(dir, 'run');
    const result = await shipgate(
      [
        'canary',
        'run',
        '--config',
        config,
        '--interval',
        '100ms',
        '--steps',
        '50,100',
        '--run-dir',
        runDir,
        '--json',
      ],
      { HOOK_TOKEN: 'hook-secret' },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(hook.calls.map((c) => c.action)).toEqual(['set-weight', 'rollback']);
    expect(hook.calls[0]).toMatchObject({ weight: 50 }); // --steps won over the config's
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
    expect(report.layers.canary.checks.map((c: { id: string }) => c.id)).toEqual(['canary/error_rate']);
    const started = readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'canary.started');
    expect(started).toMatchObject({
      versions: { canary: 'next', baseline: 'current' },
      metrics: ['error_rate'],
    });
    expect(started.config.intervalMs).toBe(100);
  }, 120_000);
});
