import { Agent, request } from 'undici';
import { seededRandom } from '../../core/prng.ts';

/**
 * Customers for the example platform (Kestrel) during a canary test: fulfilment requests
 * PUT to its switchboard at a steady real rate, as a shop's checkout would send them.
 * In production traffic flows by itself; in a test the gate must have orders to judge.
 *
 * The mix is data (zones and speeds by share), seeded, so two runs with one seed send
 * the same requests. Every request has a fresh reference, so none is an idempotent
 * replay. Bounded: at most `maxRequests` requests and `maxInFlight` in flight (a slow
 * platform gets fewer requests, never an unbounded queue); `stop()` waits for the ones
 * in flight.
 */
export interface KestrelTrafficOptions {
  /** The switchboard (the platform's `entry` URL). */
  entry: string;
  perSecond: number;
  seed: string | number;
  /** Postcode areas by share, e.g. `{ CQ: 0.3, MA: 0.2 }`; the default below. */
  areas?: Readonly<Record<string, number>>;
  maxRequests?: number;
  maxInFlight?: number;
}

export interface KestrelTraffic {
  /** Requests sent so far. */
  readonly sent: number;
  /** Answers by status, and `error` for a request that got no answer. */
  readonly answers: Readonly<Record<string, number>>;
  /** Answers by the build that gave them (`X-Release-Track`). */
  readonly byTrack: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * A third of the parcels to the coast's CQ area, the rest spread over the other zones:
 * enough CQ parcels that a carrier change there shows in the late share within seconds,
 * enough highland parcels that a slowness there shows in the handling time.
 */
export const DEFAULT_AREAS: Readonly<Record<string, number>> = {
  CQ: 0.3,
  CR: 0.1,
  MA: 0.2,
  VB: 0.15,
  HK: 0.25,
};

const SPEEDS: readonly [string, number][] = [
  ['next-day', 0.7],
  ['two-day', 0.3],
];

function pick<T>(entries: readonly [T, number][], u: number): T {
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  let acc = 0;
  for (const [value, share] of entries) {
    acc += share / total;
    if (u < acc) return value;
  }
  return entries.at(-1)![0];
}

export function driveKestrel(options: KestrelTrafficOptions): KestrelTraffic {
  const random = seededRandom(`kestrel-traffic/${options.seed}`);
  const areas = Object.entries(options.areas ?? DEFAULT_AREAS);
  const maxRequests = options.maxRequests ?? 100_000;
  const maxInFlight = options.maxInFlight ?? 128;
  const dispatcher = new Agent({ connections: maxInFlight });
  const answers: Record<string, number> = {};
  const byTrack: Record<string, number> = {};
  const inflight = new Set<Promise<void>>();
  const count = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  let sent = 0;

  const send = () => {
    const n = sent++;
    const postcode = `${pick(areas, random())}-${String(100 + Math.floor(random() * 900))}`;
    const body = {
      speed: pick(SPEEDS, random()),
      recipient: {
        fullName: 'Test Customer',
        email: `customer-${n}@example.test`,
        street: `${1 + (n % 90)} Harbour Row`,
        town: 'Saltby',
        postcode,
      },
      lines: [
        {
          article: `KS-${String(1 + Math.floor(random() * 100)).padStart(4, '0')}`,
          units: 1 + Math.floor(random() * 3),
          unitGrams: 350,
          unitPriceCents: 1299,
        },
      ],
    };
    const p = request(`${options.entry}/fulfilment/requests/shop-${options.seed}-${n}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher,
    })
      .then(async (res) => {
        await res.body.dump();
        count(answers, String(res.statusCode));
        const track = res.headers['x-release-track'];
        if (typeof track === 'string') count(byTrack, track);
      })
      .catch(() => count(answers, 'error'))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let carry = 0;
  let last = performance.now();
  const tick = () => {
    if (!running) return;
    // From elapsed time, not the tick count: timers fire late on a busy machine, and the
    // rate must hold anyway (the judge needs its samples). At most a second's worth at once.
    const now = performance.now();
    carry = Math.min(carry + ((now - last) * options.perSecond) / 1000, options.perSecond);
    last = now;
    while (carry >= 1 && sent < maxRequests) {
      carry -= 1;
      if (inflight.size < maxInFlight) send();
    }
    if (sent >= maxRequests) running = false;
    else timer = setTimeout(tick, 20);
  };
  tick();
  let stopped: Promise<void> | undefined;

  return {
    get sent() {
      return sent;
    },
    answers,
    byTrack,
    stop() {
      running = false;
      clearTimeout(timer);
      stopped ??= Promise.allSettled([...inflight]).then(() => dispatcher.close());
      return stopped;
    },
  };
}
