import { shipgateError } from '../../core/errors.ts';
import { type Pusher, startPushing } from './push.ts';
import { observeSelfMetrics, type RunEvents } from './record.ts';
import { createSelfMetrics, type SelfMetrics } from './self-metrics.ts';

/**
 * shipgate's own metrics for one command's run: the observer the command feeds, and,
 * when a Pushgateway is configured, the pushes (every 15 s and once at the end).
 * Without one nothing leaves the process.
 */
export interface PushgatewayTarget {
  url: string;
  token?: string;
}

export interface SelfMetricsRun {
  metrics: SelfMetrics;
  events: RunEvents;
  /** Starts pushing (if a Pushgateway is configured) under this run id; once the run folder exists. */
  pushAs(runId: string): void;
  /** Final push (if pushing); never throws. */
  finish(): Promise<void>;
}

export const PUSHGATEWAY_URL_ENV = 'SHIPGATE_PUSHGATEWAY_URL';
export const PUSHGATEWAY_TOKEN_ENV = 'SHIPGATE_PUSHGATEWAY_TOKEN';

/**
 * Where to push, if anywhere: `--pushgateway` first, then SHIPGATE_PUSHGATEWAY_URL, then
 * the config's `pushgateway.url`. The token comes from the environment only.
 */
export function pushgatewayTarget(
  sources: { flag?: string; config?: { url: string; tokenEnv?: string } },
  env: NodeJS.ProcessEnv = process.env,
): PushgatewayTarget | undefined {
  const url = sources.flag || env[PUSHGATEWAY_URL_ENV] || sources.config?.url;
  if (!url) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw shipgateError('SG_USAGE', {
      message: `the Pushgateway URL must be http:// or https:// (from ${sources.flag ? '--pushgateway' : env[PUSHGATEWAY_URL_ENV] ? PUSHGATEWAY_URL_ENV : 'the config key pushgateway.url'})`,
    });
  const token = env[sources.config?.tokenEnv ?? PUSHGATEWAY_TOKEN_ENV] || env[PUSHGATEWAY_TOKEN_ENV];
  return { url, ...(token ? { token } : {}) };
}

export interface SelfMetricsOptions {
  pushgateway?: PushgatewayTarget | undefined;
  intervalMs?: number;
  timeoutMs?: number;
  warn?: (line: string) => void;
}

export function startSelfMetrics(options: SelfMetricsOptions = {}): SelfMetricsRun {
  const metrics = createSelfMetrics();
  let pusher: Pusher | undefined;
  return {
    metrics,
    events: observeSelfMetrics(metrics),
    pushAs(runId) {
      const target = options.pushgateway;
      if (!target || pusher) return;
      pusher = startPushing({
        url: target.url,
        ...(target.token ? { token: target.token } : {}),
        runId,
        registry: metrics.registry,
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.warn ? { warn: options.warn } : {}),
      });
    },
    finish: async () => {
      await pusher?.finish();
    },
  };
}

/** Runs a command's work with shipgate's own metrics: the final push happens however the work ends. */
export async function withSelfMetrics<T>(
  options: SelfMetricsOptions & { runId?: string; plan?: Parameters<RunEvents['begin']>[0] },
  work: (telemetry: SelfMetricsRun) => Promise<T>,
): Promise<T> {
  const telemetry = startSelfMetrics(options);
  if (options.plan) telemetry.events.begin(options.plan);
  if (options.runId) telemetry.pushAs(options.runId);
  try {
    return await work(telemetry);
  } finally {
    await telemetry.finish();
  }
}
