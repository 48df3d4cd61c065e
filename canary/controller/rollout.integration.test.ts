import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRunFolder } from '../../harness/run/run-folder.ts';
import { startWorld, type World } from '../../harness/sandbox/launch/world.ts';
import { withRetries } from '../actuators/actuator.ts';
import { routerActuator } from '../actuators/router.ts';
import { exportBlastRadius } from '../blast-radius/export.ts';
import { openCanaryJournal } from '../journal/journal.ts';
import { DirectScrapeSource } from '../sources/direct-scrape.ts';
import type { MetricSource } from '../sources/source.ts';
import { virtualRolloutClock } from './clock.ts';
import type { RolloutConfig } from './config.ts';
import { type Feeder, feedOrders, listPlatformOrders } from './integration-helpers.ts';
import { type RolloutOutcome, runRollout } from './rollout.ts';

/**
 * The canary gate against the in-process sandbox with real order traffic (generated
 * orders POSTed to the router), the direct-scrape source and the router actuator.
 * Virtual time runs 3600× (1 real second = 1 virtual hour), so a step's minimum hour
 * is a real second and a 2-day transit is 48 real seconds.
 */
export const SPEED = 3600;
const MINUTE = 60_000;
export const CONFIG: Partial<RolloutConfig> = {
  steps: [10, 50, 100],
  minStepMs: 60 * MINUTE,
  minStepSamples: 5,
  intervalMs: 15 * MINUTE,
  maxTotalMs: 2 * 24 * 60 * MINUTE,
  judge: { minCanarySamples: 400 },
};

let world: World | undefined;
let feeder: Feeder | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await feeder?.stop();
  await world?.stop();
  feeder = undefined;
  world = undefined;
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

export interface Measured {
  outcome: RolloutOutcome;
  realMs: number;
  /** Virtual time of the terminal decision. */
  decidedAt: number;
  canaryOrders: number;
  firstLateDelivery: number | null;
  firstPredictedLate: number | null;
  affected: number;
}

export async function rolloutAgainstSandbox(
  defect: 'none' | 'latency-under-load' | 'wrong-carrier',
  options: {
    source?: (w: World) => Promise<MetricSource> | MetricSource;
    perSecond?: number;
    seed?: string;
    config?: Partial<RolloutConfig>;
    onEvaluation?: (n: number) => void | Promise<void>;
  } = {},
): Promise<Measured> {
  world = await startWorld({ canaryDefect: defect, speed: SPEED, latency: 'none', seed: 11 });
  const w = world;
  const dir = mkdtempSync(join(tmpdir(), `sg-canary-${defect}-`));
  dirs.push(dir);
  const folder = openRunFolder(dir);
  feeder = feedOrders({
    router: w.urls.router,
    virtualNow: () => w.clock.now(),
    perSecond: options.perSecond ?? 30,
    seed: options.seed ?? defect,
  });
  const source = options.source
    ? await options.source(w)
    : new DirectScrapeSource({ endpoints: w.metricsTargets });
  const started = Date.now();
  let evaluations = 0;
  const outcome = await runRollout({
    source,
    actuator: withRetries(routerActuator({ url: w.urls.router, token: w.config.adminToken }), {
      attempts: 3,
      baseDelayMs: 50,
    }),
    journal: openCanaryJournal(folder.journal),
    clock: virtualRolloutClock(w.clock),
    config: { ...CONFIG, ...options.config },
    onEvent: (event) => {
      if (event.type === 'canary.evaluation') void options.onEvaluation?.(++evaluations);
    },
  });
  const realMs = Date.now() - started;
  await feeder.stop();
  const decidedAt = outcome.run.decision!.t;
  const canary = await listPlatformOrders(w.urls.canary);
  const lateDeliveries = canary
    .filter((o) => o.deliveredAt && o.onTime === false)
    .map((o) => Date.parse(o.deliveredAt!));
  const predictedLate = canary
    .filter((o) => o.predictedDeliveryAt && Date.parse(o.predictedDeliveryAt) > Date.parse(o.promisedBy))
    .map((o) => Date.parse(o.predictedDeliveryAt!));
  let affected = 0;
  if (outcome.outcome === 'rolled_back') {
    const blast = await exportBlastRadius({ canaryUrl: w.urls.canary, sink: folder });
    affected = blast.assessment.rows.length;
    expect(readFileSync(join(dir, 'blast-radius.csv'), 'utf8').split('\r\n')[0]).toMatch(
      /^order_id,region,carrier/,
    );
  }
  return {
    outcome,
    realMs,
    decidedAt,
    canaryOrders: canary.length,
    firstLateDelivery: lateDeliveries.length ? Math.min(...lateDeliveries) : null,
    firstPredictedLate: predictedLate.length ? Math.min(...predictedLate) : null,
    affected,
  };
}

function log(name: string, m: Measured): void {
  const h = (ms: number | null) =>
    ms === null ? 'none' : `${((ms - m.decidedAt) / 3_600_000).toFixed(1)} h after the decision`;
  process.stdout.write(
    `[canary ${name}] ${m.outcome.outcome} (${m.outcome.action.type}${'cause' in m.outcome.action ? `/${m.outcome.action.cause}` : ''}) after ${(m.realMs / 1000).toFixed(1)} s real, ` +
      `steps ${m.outcome.run.steps.map((s) => `${s.weight}%`).join('→')}, canary orders ${m.canaryOrders}, affected ${m.affected}, ` +
      `first late canary delivery: ${h(m.firstLateDelivery)}, first predicted-late: ${h(m.firstPredictedLate)}\n`,
  );
}

describe('canary rollout against the sandbox (direct scrape)', () => {
  it('rolls back the latency-under-load canary before any canary order is delivered late', async () => {
    const m = await rolloutAgainstSandbox('latency-under-load');
    log('latency-under-load', m);
    expect(m.outcome.outcome).toBe('rolled_back');
    expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'judge-failed' });
    expect(m.outcome.exitCode).toBe(1);
    if (m.firstLateDelivery !== null) expect(m.firstLateDelivery).toBeGreaterThan(m.decidedAt);
  }, 60_000);

  it('rolls back the wrong-carrier canary', async () => {
    const m = await rolloutAgainstSandbox('wrong-carrier');
    log('wrong-carrier', m);
    expect(m.outcome.outcome).toBe('rolled_back');
    expect(m.outcome.action).toMatchObject({ type: 'rollback', cause: 'judge-failed' });
    expect(m.affected).toBeGreaterThan(0);
  }, 60_000);

  it('promotes the A/A canary (no defect)', async () => {
    const m = await rolloutAgainstSandbox('none');
    log('none', m);
    expect(m.outcome.outcome).toBe('promoted');
    expect(m.outcome.exitCode).toBe(0);
    expect(m.outcome.run.steps.map((s) => s.weight)).toEqual([10, 50, 100]);
  }, 60_000);
});
