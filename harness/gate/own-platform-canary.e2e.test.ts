import { describe, expect, it } from 'vitest';
import { createSource } from '../../canary/sources/create.ts';
import type { DefectName } from '../../examples/own-platform/defects.ts';
import type { RunningPlatform } from '../../examples/own-platform/platform.ts';
import { type KestrelRollout, rolloutOnKestrel } from '../../test/support/kestrel-rollout.ts';
import { startPrometheus, waitForScrape } from '../prometheus/start.ts';

/**
 * The canary gate on a platform shipgate did not design (examples/own-platform,
 * "Kestrel"): its own series (`kestrel_*`, build label `release_track` = current|next,
 * handling time in milliseconds, no cutoff or ETA metrics), its own router (the
 * switchboard's `PATCH /ops/split`, driven by the `http` actuator), customers' requests
 * PUT through the switchboard at a steady rate meanwhile.
 *
 * Time: the rollout runs on the wall clock (as in production: Kestrel's simulated clock
 * moves parcels, not the gate), in seconds: a step lasts 2 s, an analysis every second.
 * Kestrel runs 4 simulated days per real second, so a next-day parcel is delivered (or
 * late) within a second of its request and the lagging late share is seen in-test.
 *
 * Sources: the A/A seeds and the defects read Kestrel's three /metrics directly (no
 * Prometheus start per rollout, and a scrape is exact at the moment of the analysis);
 * one defect runs against a real Prometheus scraping the same three endpoints every
 * second, started by the project's own script.
 *
 * "Exactly one actuation per decision": the switchboard counts every PATCH in `changes`.
 * A rollout PATCHes once per step it enters (set weight 20, 50, 100) and once for its
 * decision (promote: `nextPercent` 100; roll back: 0), and nothing else: no retry, no
 * second promote or rollback. So `changes` = steps entered + 1, and the journal's
 * actuations are the step weights in order followed by exactly one promote or rollback.
 */
const ROLLOUT = {
  steps: [20, 50, 100],
  intervalMs: 1000,
  minStepMs: 2000,
  minStepSamples: 20,
  maxTotalMs: 60_000,
  judge: { minCanarySamples: 250 },
};
const TRAFFIC = { perSecond: 100, timeScale: 4 * 86_400 };

const directScrape = async (platform: RunningPlatform) => ({
  source: createSource({
    kind: 'direct-scrape',
    endpoints: platform.urls.metrics,
    versionLabel: 'release_track',
  }),
  name: `direct-scrape ${platform.urls.metrics.join(' ')}`,
});

const prometheus = async (platform: RunningPlatform) => {
  const prom = await startPrometheus({
    targets: platform.urls.metrics.map((url) => new URL(url).host),
    scrapeIntervalMs: 1000,
    job: 'kestrel',
  });
  try {
    // Every counter's starting point must be in Prometheus before the first snapshot.
    await waitForScrape(prom.url, Date.now(), 15_000);
  } catch (error) {
    await prom.stop();
    throw error;
  }
  return {
    source: createSource({
      kind: 'prometheus',
      url: prom.url,
      versionLabel: 'release_track',
      retry: { timeoutMs: 2000, attempts: 2, totalMs: 4000 },
    }),
    name: `prometheus ${prom.url}`,
    stop: prom.stop,
  };
};

function rollout(seed: number, defects: DefectName[] = [], source = directScrape) {
  return rolloutOnKestrel({ seed, defects, ...TRAFFIC, rollout: ROLLOUT, source });
}

const line = (what: string, r: KestrelRollout) =>
  process.stdout.write(
    `[kestrel canary ${what}] ${r.result.outcome.outcome} in ${(r.realMs / 1000).toFixed(1)} s, ` +
      `${r.result.section.checks.map((c) => `${c.id} ${c.status} ${c.evidence?.canary?.bad}/${c.evidence?.canary?.samples} vs ${c.evidence?.baseline?.bad}/${c.evidence?.baseline?.samples}`).join(', ')}; switchboard changes ${r.split.changes}\n`,
  );

/** The reports name what each check read: Kestrel's own series and its build label. */
function expectKestrelQueries(r: KestrelRollout, prometheusSource = false) {
  for (const text of [r.reportJson, r.reportMd]) {
    for (const series of [
      'kestrel_fulfilment_requests_total',
      'kestrel_fulfilment_handling_ms_bucket',
      'kestrel_parcels_delivered_total',
    ])
      expect(text).toContain(series);
    expect(text).toContain('release_track=~');
    expect(text).not.toMatch(/logistics_|version=~/);
  }
  const late = r.result.section.checks.find((c) => c.id === 'canary/late_share')!;
  expect(late.evidence.details?.queries).toEqual(
    prometheusSource
      ? [
          'sum by (release_track, instance) (kestrel_parcels_delivered_total{punctuality="late", release_track=~"next|current"})',
          'sum by (release_track, instance) (kestrel_parcels_delivered_total{release_track=~"next|current"})',
        ]
      : [
          expect.stringMatching(
            /^bad: kestrel_parcels_delivered_total\{punctuality="late", release_track=~"next\|current"\} \(direct scrape of /,
          ),
          expect.stringMatching(/^total: kestrel_parcels_delivered_total\{release_track=~"next\|current"\} /),
        ],
  );
  expect(r.reportMd).toContain(`Metrics from ${r.result.section.source}:`);
}

function expectOneActuationPerDecision(r: KestrelRollout, decision: 'promote' | 'rollback') {
  const actuated = r.journal.filter((e) => e.type === 'canary.actuated');
  const setWeights = actuated.filter((e) => e.op === 'set-weight').map((e) => e.weight);
  const terminal = actuated.filter((e) => e.op !== 'set-weight').map((e) => e.op);
  expect(setWeights).toEqual(ROLLOUT.steps.slice(0, setWeights.length));
  expect(terminal).toEqual([decision]);
  expect(r.journal.some((e) => e.type === 'canary.actuation-failed')).toBe(false);
  expect(r.split).toMatchObject({
    changes: setWeights.length + 1,
    nextPercent: decision === 'promote' ? 100 : 0,
  });
}

describe('the canary gate on Kestrel, in its own metric names, label and router', () => {
  it.each([1, 2, 3])(
    'A/A (seed %i): the next build is the current one, promoted',
    async (seed) => {
      const r = await rollout(seed);
      line(`A/A seed ${seed}`, r);
      expect(r.result.outcome.outcome, r.result.outcome.reason).toBe('promoted');
      expect(r.result.outcome.exitCode).toBe(0);
      expectOneActuationPerDecision(r, 'promote');
      // Every leading metric was judged on Kestrel's own series, with enough canary data.
      const checks = r.result.section.checks;
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['canary/failed_share', 'pass'],
        ['canary/slow_handling', 'pass'],
        ['canary/late_share', 'pass'],
      ]);
      expect(checks[0]!.evidence!.canary!.samples).toBeGreaterThanOrEqual(250);
      expect(r.traffic.byTrack.next).toBeGreaterThan(0);
      expect(r.traffic.answers.error ?? 0).toBe(0);
    },
    60_000,
  );

  it('brownout (5% of the next build’s requests answered 503): rolled back on the failed share', async () => {
    const r = await rollout(4, ['brownout']);
    line('brownout', r);
    expect(r.result.outcome.outcome, r.result.outcome.reason).toBe('rolled_back');
    expect(r.result.outcome.exitCode).toBe(1);
    expect(r.result.outcome.action).toMatchObject({ cause: 'judge-failed', triggeredBy: ['failed_share'] });
    expectOneActuationPerDecision(r, 'rollback');
  }, 60_000);

  it('slow-highlands (+400 ms for highland parcels), judged from a real Prometheus: rolled back on the handling time', async () => {
    const r = await rollout(5, ['slow-highlands'], prometheus);
    line('slow-highlands (prometheus)', r);
    expect(r.result.section.source).toMatch(/^prometheus http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.result.outcome.outcome, r.result.outcome.reason).toBe('rolled_back');
    expect(r.result.outcome.action).toMatchObject({ cause: 'judge-failed', triggeredBy: ['slow_handling'] });
    expectOneActuationPerDecision(r, 'rollback');
    expectKestrelQueries(r, true);
  }, 60_000);

  it('coast-carrier-swap (CQ parcels with the in-house vans, half late): rolled back on the late share', async () => {
    const r = await rollout(6, ['coast-carrier-swap']);
    line('coast-carrier-swap', r);
    expect(r.result.outcome.outcome, r.result.outcome.reason).toBe('rolled_back');
    expect(r.result.outcome.action).toMatchObject({ cause: 'judge-failed', triggeredBy: ['late_share'] });
    expectOneActuationPerDecision(r, 'rollback');
  }, 60_000);
});
