import type { Tracer } from '@opentelemetry/api';
import {
  type ClockAnchor,
  createClock,
  DEFAULT_SPEED,
  startClock,
  type VirtualClock,
} from '../clock/clock.ts';
import { type RunningService, startService } from './start-service.ts';
import {
  defaultWorldConfig,
  type PartialWorldUrls,
  stages,
  type WorldConfig,
  type WorldUrls,
} from './topology.ts';

/** A sandbox world running inside this process (tests, the demo). */
export interface World {
  config: WorldConfig;
  clock: VirtualClock;
  urls: WorldUrls;
  /** Every service's /metrics endpoint, for the direct-scrape source and Prometheus. */
  metricsTargets: string[];
  /** Each running service with the routes it registered. */
  services: readonly Pick<RunningService, 'name' | 'url' | 'routes'>[];
  stop(): Promise<void>;
}

export interface WorldOptions extends Partial<Omit<WorldConfig, 'anchor'>> {
  speed?: number;
  virtualStart?: string;
  anchor?: ClockAnchor;
  tracer?: Tracer;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const anchor =
    options.anchor ??
    startClock({ speed: options.speed ?? DEFAULT_SPEED, virtualStart: options.virtualStart }).anchor;
  const config = defaultWorldConfig({ ...withoutUndefined(options), anchor });
  const urls: PartialWorldUrls = { carriers: {} };
  const running: RunningService[] = [];
  const stop = async () => {
    // Reverse start order: the router first, so nothing calls a service already gone.
    for (const service of running.reverse()) await service.close().catch(() => undefined);
  };
  try {
    for (const stage of stages(config)) {
      const started = await Promise.all(
        stage.map((spec) => startService(spec, config, urls, { tracer: options.tracer })),
      );
      for (const [i, service] of started.entries()) {
        running.push(service);
        const spec = stage[i]!;
        if (spec.kind === 'carrier') urls.carriers[spec.name] = service.url;
        else urls[spec.name] = service.url;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const complete = urls as WorldUrls;
  return {
    config,
    clock: createClock(anchor),
    urls: complete,
    metricsTargets: running.map((s) => `${s.url}/metrics`),
    services: running.map(({ name, url, routes }) => ({ name, url, routes })),
    stop,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
