import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type DefectName, quirksOf } from './defects.ts';
import { buildDepot } from './depot/app.ts';
import { buildDesk } from './desk/app.ts';
import { depotClient } from './desk/depot-client.ts';
import { gullwingClient } from './desk/gullwing-client.ts';
import { OrderBook } from './desk/order-book.ts';
import { buildGullwing } from './gullwing/app.ts';
import { simClock } from './sim/clock.ts';
import { buildSwitchboard } from './switchboard/app.ts';

/**
 * Starts the whole Kestrel platform in this process: the depot, Gullwing's sandbox, the
 * current and next desk builds and the switchboard in front of them, each a fastify
 * server on 127.0.0.1 and a port of its own choosing.
 */
export interface PlatformOptions {
  defects?: DefectName[];
  /** Simulated seconds per real second (default 3600: a day passes in 24 s). */
  timeScale?: number;
  /** Simulated start, ms since the epoch (default: now). */
  simStart?: number;
  seed?: number;
  /** Starting share of the next build, percent (default 0). */
  nextPercent?: number;
  opsKey?: string;
  depotToken?: string;
  /** The desk's own simulated work per request, [min, max] ms (default [5, 25]). */
  handlingMs?: [number, number];
}

export interface PlatformUrls {
  /** The switchboard: the front door for /fulfilment traffic and /ops. */
  entry: string;
  current: string;
  next: string;
  depot: string;
  gullwing: string;
  /** Pact's provider-state endpoint of the depot. */
  depotStateChange: string;
  /** Every /metrics Prometheus should scrape. */
  metrics: string[];
}

export interface RunningPlatform {
  urls: PlatformUrls;
  opsKey: string;
  depotToken: string;
  timeScale: number;
  defects: DefectName[];
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const defects = [...new Set(options.defects ?? [])];
  const seed = options.seed ?? 1;
  const opsKey = options.opsKey ?? randomBytes(12).toString('hex');
  const depotToken = options.depotToken ?? randomBytes(12).toString('hex');
  const gullwingKey = randomBytes(12).toString('hex');
  const clock = simClock(options.timeScale ?? 3600, options.simStart);
  const started: FastifyInstance[] = [];
  const closers: (() => Promise<void>)[] = [];

  const stop = async () => {
    // Front door first, so nothing new arrives while the rest closes.
    for (const app of started.reverse()) await app.close();
    for (const close of closers) await close();
  };
  const listen = async (app: FastifyInstance) => {
    started.push(app);
    return app.listen({ host: LOOPBACK, port: 0 });
  };

  try {
    const depotUrl = await listen(
      buildDepot({ token: depotToken, renameHoldId: defects.includes('depot-field-rename') }),
    );
    const gullwingUrl = await listen(buildGullwing({ apiKey: gullwingKey }));
    const depot = depotClient(depotUrl, depotToken);
    const gullwing = gullwingClient(gullwingUrl, gullwingKey);
    closers.push(depot.close, gullwing.close);
    const book = new OrderBook();
    const shared = {
      book,
      clock,
      depot,
      gullwing,
      seed,
      ...(options.handlingMs ? { handlingMs: options.handlingMs } : {}),
    };
    const current = await listen(buildDesk({ ...shared, track: 'current' }));
    const next = await listen(buildDesk({ ...shared, track: 'next', quirks: quirksOf(defects) }));
    const entry = await listen(
      buildSwitchboard({
        builds: { current, next },
        opsKey,
        clock,
        seed,
        ...(options.nextPercent === undefined ? {} : { nextPercent: options.nextPercent }),
      }),
    );
    return {
      urls: {
        entry,
        current,
        next,
        depot: depotUrl,
        gullwing: gullwingUrl,
        depotStateChange: `${depotUrl}/_pact/state`,
        metrics: [`${current}/metrics`, `${next}/metrics`, `${entry}/metrics`],
      },
      opsKey,
      depotToken,
      timeScale: clock.timeScale,
      defects,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
