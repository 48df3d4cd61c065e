import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../../examples/own-platform/platform.ts';
import { kestrelPlatform } from '../../examples/own-platform/shipgate-platform.ts';
import { scenarioByName } from '../catalogue/catalogue.ts';
import type { PlatformConfig } from '../platform/config.ts';
import { resolvePlatform } from '../platform/resolve.ts';
import type { PlatformAdapter } from '../platform/types.ts';
import { runScenario } from './runner.ts';

/**
 * The peak-day scenario against the second platform, Kestrel (examples/own-platform),
 * reached only through its declarative adapter (examples/own-platform/shipgate-platform.ts,
 * the config's target.platform) — its own order API (PUT by the caller's reference,
 * grams and cents, its own postcodes and articles) and its ticket status path. Kestrel runs in-process on loopback, started at the
 * scenario's pace and stopped after. Its adapter names no clock: the run keeps real
 * time while Kestrel's simulated clock moves parcels on. The command and the k6 export
 * on Kestrel are in scenario-command.kestrel.test.ts.
 */
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'own-platform');
const peak = scenarioByName('peak-day')!;
let kestrel: PlatformAdapter;
beforeAll(async () => {
  // Kestrel's own declarative adapter, as its config names it (examples/own-platform).
  kestrel = await resolvePlatform(kestrelPlatform as unknown as PlatformConfig, { baseDir: EXAMPLE });
});

describe('peak-day on Kestrel through a declarative adapter', () => {
  let stopped = 0;
  afterAll(() => {
    // Every Kestrel the runner started was stopped by it.
    expect(stopped).toBe(1);
  });

  it('every order accounted for, SLOs judged from Kestrel’s own answers and statuses', {
    timeout: 120_000,
  }, async () => {
    const events: { type: string }[] = [];
    const r = await runScenario({
      scenario: peak,
      scale: 0.1,
      // 14 400× after scaling: the ten-hour window in 2.5 s, four settle days in 24 s.
      speedOverride: 1440,
      settleTimeoutMs: 30_000,
      version: 'canary',
      onEvent: (e) => events.push(e),
      target: async (plan) => {
        const platform = await startPlatform({
          timeScale: plan.speed,
          simStart: plan.virtualStartMs,
          // Every request to the build under test (Kestrel's "next"), as the sandbox's router does.
          nextPercent: plan.version === 'canary' ? 100 : 0,
          handlingMs: [1, 5],
        });
        return {
          url: platform.urls.entry,
          description: `kestrel (${plan.version === 'canary' ? 'next' : 'current'})`,
          platform: kestrel,
          stop: async () => {
            await platform.stop();
            stopped++;
          },
        };
      },
    });
    // Every order accounted for: each planned order sent or failed, none lost.
    expect(r.orders.planned).toBe(358);
    expect(r.orders.sent + r.orders.failed).toBe(r.orders.planned);
    expect(r.orders.sent).toBe(r.orders.planned);
    expect(r.orders.lost).toBe(0);
    expect(r.target).toBe('kestrel (next)');
    // The default SLOs, each judged (none skipped: Kestrel says on time or late).
    const by = Object.fromEntries(r.slos.map((s) => [s.id, s]));
    expect(Object.keys(by).sort()).toEqual(peak.expectations.map((e) => e.id).sort());
    expect(by.lost_orders!.status).toBe('pass');
    expect(by.error_rate).toMatchObject({ status: 'pass', observed: 0, samples: 358 });
    // No processing time in Kestrel's status: the answer's latency, one per order.
    expect(by.processing_p95_seconds!.evidence.source).toBe('outcomes');
    expect(by.processing_p95_seconds!.samples).toBe(358);
    expect(by.processing_p95_seconds!.observed).toBeGreaterThan(0);
    // Deliveries by Kestrel's clock: most of the 358 within four settle days, each on time or late.
    expect(by.on_time_rate!.samples).toBeGreaterThan(200);
    expect(by.on_time_rate!.observed).toBeGreaterThan(0.85);
    expect(r.settle.delivered).toBe(by.on_time_rate!.samples);
    expect(r.slos.every((s) => s.status !== 'skipped')).toBe(true);
    expect(['pass', 'fail']).toContain(r.status);
    expect(events.map((e) => e.type)).toContain('scenario.settled');
    // Kestrel's adapter reads no clock: said once, and no "late start" against a clock it has not.
    expect(r.observations).toContain(
      "kestrel has no clock its adapter reads: orders went out at 14400× the scenario's pace in real time, and deliveries were tracked for up to 30 s real time.",
    );
    expect(r.observations.join('\n')).not.toContain('The load window started at');
  });

  it('cutoff misses are not measurable on Kestrel: skipped with the reason, never passed', {
    timeout: 90_000,
  }, async () => {
    const rush = scenarioByName('cutoff-rush')!;
    const platform = await startPlatform({ timeScale: 14_400, handlingMs: [1, 3] });
    try {
      const r = await runScenario({
        scenario: rush,
        scale: 0.03,
        settleTimeoutMs: 3_000,
        target: { url: platform.urls.entry, description: 'kestrel', platform: kestrel },
      });
      const cutoff = r.slos.find((s) => s.id === 'cutoff_missed_rate')!;
      expect(cutoff.status).toBe('skipped');
      expect(cutoff.observed).toBeNull();
      expect(cutoff.message).toContain('not measurable on this target');
      expect(cutoff.message).toContain('no dispatch cutoff');
      expect(r.orders.sent).toBe(r.orders.planned);
      expect(r.orders.lost).toBe(0);
    } finally {
      await platform.stop();
    }
  });

  it('a fault scenario against Kestrel stops before anything is sent', async () => {
    const platform = await startPlatform({ timeScale: 3600 });
    try {
      const error = await runScenario({
        scenario: scenarioByName('carrier-outage')!,
        scale: 0.01,
        target: { url: platform.urls.entry, description: 'kestrel', platform: kestrel },
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SG_SCENARIO_FAULTS_UNSUPPORTED', exitCode: 2 });
      const metrics = await (await fetch(`${platform.urls.current}/metrics`)).text();
      expect(metrics).toMatch(/kestrel_fulfilment_requests_total\{[^}]*result="created"[^}]*\} 0/);
    } finally {
      await platform.stop();
    }
  });
});
