import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { withRetries } from '../../canary/actuators/actuator.ts';
import { routerActuator } from '../../canary/actuators/router.ts';
import { exportBlastRadius } from '../../canary/blast-radius/export.ts';
import { virtualRolloutClock } from '../../canary/controller/clock.ts';
import type { RolloutConfig } from '../../canary/controller/config.ts';
import { type RolloutOutcome, runRollout } from '../../canary/controller/rollout.ts';
import { openCanaryJournal } from '../../canary/journal/journal.ts';
import { DirectScrapeSource } from '../../canary/sources/direct-scrape.ts';
import type { MetricSource } from '../../canary/sources/source.ts';
import type { OrderState } from '../../contracts/platform/api.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { feedOrders, type OrderFeed } from '../../scenarios/feed/steady.ts';

/**
 * Test support (`*.testing.ts`: imported by tests only, so it may start the sandbox):
 * the canary rollout against the in-process sandbox, for the integration tests beside it.
 */

/** Every order the platform holds, page by page. */
export async function listPlatformOrders(platform: string): Promise<OrderState[]> {
  const out: OrderState[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await request(
      `${platform}/v1/orders?limit=5000${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    const body = (await res.body.json()) as { orders: OrderState[]; next?: string };
    out.push(...body.orders);
    if (!body.next) break;
    after = body.next;
  }
  return out;
}

/**
 * The canary gate against the in-process sandbox with real order traffic (generated
 * orders POSTed to the router), the direct-scrape source and the router actuator.
 * Virtual time runs 3600× (1 real second = 1 virtual hour), so a step's minimum hour
 * is a real second and a 2-day transit is 48 real seconds.
 */
export const SPEED = 3600;
const MINUTE = 60_000;
export const CONFIG: Partial<RolloutConfig> = {
  steps: [20, 50, 100],
  minStepMs: 60 * MINUTE,
  minStepSamples: 5,
  intervalMs: 15 * MINUTE,
  maxTotalMs: 3 * 24 * 60 * MINUTE,
  judge: { minCanarySamples: 350 },
};

export interface Measured {
  outcome: RolloutOutcome;
  realMs: number;
  /** Virtual time of the terminal decision. */
  decidedAt: number;
  canaryOrders: number;
  firstLateDelivery: number | null;
  firstPredictedLate: number | null;
  /** The earliest delivery promise among canary orders: no canary order can be late before it. */
  earliestPromise: number | null;
  affected: number;
  /** First line of blast-radius.csv, when one was written. */
  csvHeader?: string;
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
  const w = await startWorld({ canaryDefect: defect, speed: SPEED, latency: 'none', seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), `sg-canary-${defect}-`));
  let feeder: OrderFeed | undefined;
  try {
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
    let csvHeader: string | undefined;
    if (outcome.outcome === 'rolled_back') {
      const blast = await exportBlastRadius({ canaryUrl: w.urls.canary, sink: folder });
      affected = blast.assessment.rows.length;
      csvHeader = readFileSync(join(dir, 'blast-radius.csv'), 'utf8').split('\r\n')[0];
    }
    return {
      outcome,
      realMs,
      decidedAt,
      canaryOrders: canary.length,
      firstLateDelivery: lateDeliveries.length ? Math.min(...lateDeliveries) : null,
      firstPredictedLate: predictedLate.length ? Math.min(...predictedLate) : null,
      earliestPromise: canary.length ? Math.min(...canary.map((o) => Date.parse(o.promisedBy))) : null,
      affected,
      csvHeader,
    };
  } finally {
    await feeder?.stop();
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
