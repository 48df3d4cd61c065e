import Fastify from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { PROCESSING_BUCKETS, SERIES } from '../../canary/metrics/presets/builtin.ts';

/**
 * A tiny exporter of the catalogue's series for tests: one fastify app, one prom-client
 * registry, deterministic traffic per version. Stands in for a platform instance.
 */

export interface TrafficShape {
  /** Every n-th delivery is late, n-th order errors, etc. (0 = never). */
  lateEvery: number;
  errorEvery: number;
  etaPastEvery: number;
  cutoffEvery: number;
  /** Multiplies the base processing times. */
  slowdown: number;
}

// Spread over the processing buckets, about 10% over the 1 s SLO at slowdown 1.
const BASE_SECONDS = [0.03, 0.2, 0.4, 0.6, 0.8, 1.2, 0.1, 0.05, 0.3, 0.45];

export async function startTestExporter() {
  const registry = new Registry();
  const deliveries = new Counter({
    name: SERIES.deliveries,
    help: 'deliveries',
    labelNames: ['version', 'on_time'],
    registers: [registry],
  });
  const processed = new Counter({
    name: SERIES.ordersProcessed,
    help: 'processed',
    labelNames: ['version', 'outcome'],
    registers: [registry],
  });
  const etaPast = new Counter({
    name: SERIES.etaPastPromise,
    help: 'eta past promise',
    labelNames: ['version'],
    registers: [registry],
  });
  const cutoff = new Counter({
    name: SERIES.cutoffMissed,
    help: 'cutoff missed',
    labelNames: ['version'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: SERIES.processingSeconds,
    help: 'processing',
    labelNames: ['version'],
    buckets: [...PROCESSING_BUCKETS],
    registers: [registry],
  });

  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  return {
    url: `${url}/metrics`,
    hostPort: url.replace(/^http:\/\//, ''),
    /** `orders` orders of `version`, shaped deterministically; `offset` continues a sequence. */
    traffic(version: string, orders: number, shape: TrafficShape, offset = 0): void {
      for (let k = offset; k < offset + orders; k++) {
        const every = (n: number) => n > 0 && k % n === 0;
        const error = every(shape.errorEvery);
        processed.inc({ version, outcome: error ? 'error' : 'shipped' });
        seconds.observe({ version }, BASE_SECONDS[k % BASE_SECONDS.length]! * shape.slowdown);
        if (error) continue;
        if (every(shape.etaPastEvery)) etaPast.inc({ version });
        if (every(shape.cutoffEvery)) cutoff.inc({ version });
        deliveries.inc({ version, on_time: every(shape.lateEvery) ? 'false' : 'true' });
      }
    },
    reset: () => registry.resetMetrics(),
    close: () => app.close(),
  };
}

export type TestExporter = Awaited<ReturnType<typeof startTestExporter>>;

/**
 * An exporter whose orders grow at every scrape — `perScrape` orders per version, the
 * canary failing 40% of them and the baseline 1% — so every judgement between two
 * scrapes sees a canary plainly worse than its baseline (its latency the same: every
 * metric of the catalogue but the lagging on-time rate has series). The versions are the label
 * values it exports (default `canary` and `stable`).
 */
export async function startFailingCanaryExporter(
  perScrape: number,
  versions: { canary: string; baseline: string } = { canary: 'canary', baseline: 'stable' },
) {
  const totals = { baseline: { ok: 0, error: 0 }, canary: { ok: 0, error: 0 } };
  const app = Fastify({ logger: false });
  app.get('/metrics', async () => {
    for (let i = 0; i < perScrape; i++) {
      totals.baseline[i % 100 === 0 ? 'error' : 'ok']++;
      totals.canary[i % 5 < 2 ? 'error' : 'ok']++;
    }
    // Every order took 0.1 s on both sides: the latency metrics match, and say nothing.
    const latency = (side: 'baseline' | 'canary') => {
      const n = totals[side].ok + totals[side].error;
      const v = `version="${versions[side]}"`;
      return [
        ...[...PROCESSING_BUCKETS, '+Inf'].map(
          (le) =>
            `${SERIES.processingSeconds}_bucket{le="${le}",${v}} ${le === '+Inf' || Number(le) >= 0.1 ? n : 0}`,
        ),
        `${SERIES.processingSeconds}_count{${v}} ${n}`,
      ];
    };
    return (['baseline', 'canary'] as const)
      .flatMap((side) => [
        `${SERIES.ordersProcessed}{outcome="shipped",version="${versions[side]}"} ${totals[side].ok}`,
        `${SERIES.ordersProcessed}{outcome="error",version="${versions[side]}"} ${totals[side].error}`,
        ...latency(side),
      ])
      .join('\n')
      .concat('\n');
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
