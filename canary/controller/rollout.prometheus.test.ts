import { describe, expect, it } from 'vitest';
import { type RunningPrometheus, startPrometheus } from '../../harness/prometheus/start.ts';
import type { World } from '../../sandbox/launch/world.ts';
import { rolloutAgainstSandbox } from '../../test/support/sandbox-rollout.ts';
import { PrometheusSource } from '../sources/prometheus-source.ts';

/**
 * The same rollouts with a real Prometheus (Debian's, on loopback, scraping every
 * sandbox service each second): the latency canary rolled back on Prometheus data; and
 * Prometheus stopped mid-analysis: inconclusive checks, then the rollback policy —
 * never a promotion. One analysis per scrape (1 real s = 1 virtual hour).
 */
const HOUR = 3_600_000;

async function withPrometheus(w: World, started: { prom?: RunningPrometheus }) {
  started.prom = await startPrometheus({
    targets: w.metricsTargets.map((t) => new URL(t).host),
    scrapeIntervalMs: 1000,
  });
  // Start judging once Prometheus has scraped every target: before its first scrape every
  // query is empty, which the gate rightly counts as missing data.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${started.prom.url}/api/v1/query?query=${encodeURIComponent('up == 1')}`);
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) >= w.metricsTargets.length) break;
    if (Date.now() > deadline) throw new Error('Prometheus did not scrape the sandbox within 15 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return new PrometheusSource({
    url: started.prom.url,
    retry: { timeoutMs: 1000, attempts: 2, totalMs: 2000 },
  });
}

describe('canary rollout with a real Prometheus', () => {
  it('rolls back the latency-under-load canary', async () => {
    const started: { prom?: RunningPrometheus } = {};
    try {
      const m = await rolloutAgainstSandbox('latency-under-load', {
        source: (w) => withPrometheus(w, started),
        config: { intervalMs: HOUR, minStepMs: HOUR },
      });
      process.stdout.write(
        `[canary prometheus latency-under-load] ${m.outcome.outcome} after ${(m.realMs / 1000).toFixed(1)} s real, canary orders ${m.canaryOrders}, first late canary delivery: ${m.firstLateDelivery === null ? 'none' : new Date(m.firstLateDelivery).toISOString()}\n`,
      );
      expect(m.outcome.outcome).toBe('rolled_back');
      expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'judge-failed' });
      if (m.firstLateDelivery !== null) expect(m.firstLateDelivery).toBeGreaterThan(m.decidedAt);
    } finally {
      await started.prom?.stop();
    }
  }, 90_000);

  it('Prometheus stopped mid-analysis: inconclusive checks, then rollback by policy, never promotion', async () => {
    const started: { prom?: RunningPrometheus } = {};
    let stoppedAfter = 0;
    try {
      const m = await rolloutAgainstSandbox('none', {
        source: (w) => withPrometheus(w, started),
        config: {
          intervalMs: HOUR,
          minStepMs: HOUR,
          inconclusive: { maxConsecutive: 3, onExhausted: 'rollback', counts: ['missing-data'] },
        },
        onEvaluation: async (n) => {
          if (n === 3) {
            stoppedAfter = n;
            await started.prom?.stop();
          }
        },
      });
      process.stdout.write(
        `[canary prometheus stopped] ${m.outcome.outcome} (${m.outcome.action.type}) after ${m.outcome.run.points.length} analyses: ${m.outcome.reason}\n`,
      );
      expect(stoppedAfter).toBe(3);
      expect(m.outcome.outcome).toBe('rolled_back');
      expect(m.outcome.exitCode).toBe(3);
      expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'inconclusive-budget' });
      const points = m.outcome.run.points;
      const after = points.slice(3);
      expect(after.length).toBeGreaterThanOrEqual(3);
      for (const p of after)
        expect(p.result).toMatchObject({ verdict: 'inconclusive', inconclusiveKind: 'missing-data' });
      expect(points.some((p) => p.action.type === 'promote')).toBe(false);
      expect(m.outcome.run.steps.at(-1)!.weight).toBeLessThan(100);
    } finally {
      await started.prom?.stop().catch(() => undefined);
    }
  }, 90_000);
});
