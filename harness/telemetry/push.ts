import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Pushgateway, type Registry } from 'prom-client';

/**
 * Delivery of shipgate's own metrics to a Prometheus Pushgateway, the Prometheus way
 * for batch jobs: job `shipgate`, grouping label `run` = the run id so concurrent and
 * successive runs never overwrite each other, a PUT of the whole registry every
 * `intervalMs` while the command runs and once at the end (also after a failure).
 *
 * Telemetry must never decide or delay a release: a failed push warns once on stderr
 * (the Pushgateway's origin and the reason, never credentials) and the command carries
 * on; every push is bounded by `timeoutMs`, and so is the final one with whatever was
 * still in flight.
 */
export interface PushOptions {
  url: string;
  runId: string;
  registry: Registry;
  /** Bearer token (from SHIPGATE_PUSHGATEWAY_TOKEN); basic auth may also ride in the URL. */
  token?: string;
  intervalMs?: number;
  timeoutMs?: number;
  warn?: (line: string) => void;
}

export interface Pusher {
  /** Stops the timer and pushes the final values, waiting at most `timeoutMs`; never throws. */
  finish(): Promise<void>;
}

export const PUSH_JOB = 'shipgate';
export const DEFAULT_PUSH_INTERVAL_MS = 15_000;
export const DEFAULT_PUSH_TIMEOUT_MS = 5_000;

export function startPushing(options: PushOptions): Pusher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Our own agent, so that finish() can drop a push still hanging instead of letting it
  // hold the process open.
  const agent = options.url.startsWith('https:') ? new HttpsAgent() : new HttpAgent();
  const gateway = new Pushgateway(
    options.url,
    {
      timeout: timeoutMs,
      agent,
      ...(options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : {}),
    },
    options.registry,
  );
  const secrets = secretsOf(options.url, options.token);
  let warned = false;
  let inFlight: Promise<void> | undefined;

  const once = (): Promise<void> => {
    const push = gateway.push({ jobName: PUSH_JOB, groupings: { run: options.runId } });
    // The socket timeout covers a silent server; this covers everything else.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    return Promise.race([push, deadline])
      .then(() => undefined)
      .catch((error: unknown) => {
        if (warned) return;
        warned = true;
        warn(
          `shipgate: warning: could not push shipgate's own metrics to the Pushgateway at ${safeOrigin(options.url)} (${reasonOf(error, secrets)}); the run goes on without them (further push failures are not shown)`,
        );
      })
      .finally(() => clearTimeout(timer));
  };
  const tick = () => {
    // One push at a time: a slow Pushgateway never piles up requests.
    if (inFlight) return;
    inFlight = once().finally(() => {
      inFlight = undefined;
    });
  };
  const timer = setInterval(tick, options.intervalMs ?? DEFAULT_PUSH_INTERVAL_MS);
  timer.unref();
  tick();

  return {
    async finish() {
      clearInterval(timer);
      // The last values, within one timeout overall: a push still in flight first (its
      // values may be stale), then the final one.
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        (async () => {
          await inFlight;
          await once();
        })(),
        new Promise<void>((resolve) => {
          deadline = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(deadline);
      agent.destroy();
    },
  };
}

/** scheme://host:port/path, without user, password, query or fragment. */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

function secretsOf(url: string, token: string | undefined): string[] {
  const found: string[] = token ? [token] : [];
  try {
    const u = new URL(url);
    for (const part of [u.username, u.password, decodeURIComponent(u.password)]) if (part) found.push(part);
  } catch {
    // an invalid URL fails its first push; there is nothing in it to hide but itself
    found.push(url);
  }
  return found;
}

function reasonOf(error: unknown, secrets: readonly string[]): string {
  let text = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
  for (const secret of secrets) text = text.replaceAll(secret, '***');
  return text;
}
