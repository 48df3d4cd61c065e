import Fastify, { type FastifyInstance } from 'fastify';
import type { Order } from '../../contracts/domain/order.ts';
import { Order as OrderSchema } from '../../contracts/domain/order.ts';
import type { CarrierName } from '../../contracts/domain/shipping.ts';
import { SKU_CATALOGUE } from '../../contracts/inventory/catalogue.ts';
import type { OrderState } from '../../contracts/platform/api.ts';
import { describeIssues, validator } from '../../core/schema/validate.ts';
import type { TrafficRecord } from '../traffic/record.ts';

/**
 * Test support: a small fastify platform sink implementing the platform API on
 * 127.0.0.1:0 (intake, lookup, clock), with knobs for the faults replay must survive,
 * plus valid sample orders and an in-memory JSONL reader. Not a mock of our own code:
 * a real HTTP server the replayer talks to over real sockets.
 */
export interface SinkOptions {
  /** Accept the order (202) but forget it: lookup reports it missing. */
  drop?: (id: string) => boolean;
  /** Accept but never finish processing. */
  stall?: (id: string) => boolean;
  /** Answer 503 to this attempt (header x-shipgate-attempt). */
  unavailable?: (id: string, attempt: number) => boolean;
  /** Which carrier the platform picks. */
  carrier?: (order: Order) => CarrierName;
  /** Extra processing fields (noise, price). */
  decorate?: (order: Order, state: OrderState) => void;
  delayMs?: number;
  /** Reset the connection instead of answering this attempt. */
  reset?: (id: string, attempt: number) => boolean;
  /** Take the order, then reset the connection instead of answering. */
  resetAfter?: (id: string, attempt: number) => boolean;
  /** Never answer (until the sink closes). */
  hang?: (id: string) => boolean;
  /** Answer this status instead of processing. */
  status?: (id: string, attempt: number) => number | undefined;
  /** Called as each intake request arrives, before it is processed (to kill a client mid-flight). */
  onArrival?: (id: string, attempt: number) => void;
  clock?: { now: string; speed: number } | false;
}

export interface Sink {
  url: string;
  app: FastifyInstance;
  /** Requests per order id, split by whether they were first attempts (x-shipgate-attempt: 1). */
  requests: Map<string, { first: number; retries: number }>;
  /** Every order accepted, with the real time of arrival. */
  arrivals: {
    id: string;
    atMs: number;
    createdAt: string;
    promisedBy: string;
    traceparent: string;
    key: string;
  }[];
  maxInFlight: number;
  close(): Promise<void>;
}

const checkOrder = validator(OrderSchema);

export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, forceCloseConnections: true });
  const hanging = new AbortController();
  app.addHook('onClose', async () => hanging.abort());
  const states = new Map<string, OrderState>();
  const requests: Sink['requests'] = new Map();
  const arrivals: Sink['arrivals'] = [];
  let inFlight = 0;
  const sink = { app, requests, arrivals, maxInFlight: 0 } as unknown as Sink;
  const clockAnchor =
    options.clock === false
      ? undefined
      : { real: Date.now(), ...(options.clock ?? { now: '2026-03-02T08:00:00.000Z', speed: 60 }) };

  app.post('/v1/orders', async (request, reply) => {
    inFlight++;
    sink.maxInFlight = Math.max(sink.maxInFlight, inFlight);
    try {
      const attempt = Number(request.headers['x-shipgate-attempt'] ?? 1);
      const check = checkOrder(request.body);
      if (!check.ok) return reply.code(400).send({ error: describeIssues(check.issues) });
      const order = check.value;
      options.onArrival?.(order.id, attempt);
      const count = requests.get(order.id) ?? { first: 0, retries: 0 };
      if (attempt === 1) count.first++;
      else count.retries++;
      requests.set(order.id, count);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.reset?.(order.id, attempt)) {
        request.raw.socket.destroy();
        return reply;
      }
      if (options.hang?.(order.id)) {
        await new Promise((resolve) => hanging.signal.addEventListener('abort', resolve, { once: true }));
        return reply;
      }
      const forced = options.status?.(order.id, attempt);
      if (forced) return reply.code(forced).send({ error: 'forced' });
      if (options.unavailable?.(order.id, attempt)) return reply.code(503).send({ error: 'busy' });
      const duplicate =
        states.has(order.id) || arrivals.some((a) => a.id === order.id && options.drop?.(order.id));
      if (!duplicate) {
        arrivals.push({
          id: order.id,
          atMs: Date.now(),
          createdAt: order.createdAt,
          promisedBy: order.promisedBy,
          traceparent: String(request.headers.traceparent ?? ''),
          key: String(request.headers['idempotency-key'] ?? ''),
        });
        if (!options.drop?.(order.id)) states.set(order.id, process(order, options));
      }
      if (options.resetAfter?.(order.id, attempt)) {
        request.raw.socket.destroy();
        return reply;
      }
      return reply.code(202).send({ orderId: order.id, status: 'accepted', version: 'sink', duplicate });
    } finally {
      inFlight--;
    }
  });

  app.get<{ Params: { id: string } }>('/v1/orders/:id', async (request, reply) => {
    const state = states.get(request.params.id);
    return state ?? reply.code(404).send({ error: 'not found' });
  });

  app.post<{ Body: { ids: string[] } }>('/v1/orders/lookup', async (request) => {
    const orders: OrderState[] = [];
    const missing: string[] = [];
    for (const id of request.body.ids) {
      const state = states.get(id);
      if (state) orders.push(state);
      else missing.push(id);
    }
    return { orders, missing };
  });

  if (clockAnchor) {
    app.get('/v1/clock', async () => ({
      now: new Date(
        Date.parse(clockAnchor.now) + (Date.now() - clockAnchor.real) * clockAnchor.speed,
      ).toISOString(),
      speed: clockAnchor.speed,
    }));
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('sink did not bind');
  sink.url = `http://127.0.0.1:${address.port}`;
  sink.close = () => app.close();
  return sink;
}

function process(order: Order, options: SinkOptions): OrderState {
  const stalled = options.stall?.(order.id) === true;
  const state: OrderState = {
    orderId: order.id,
    version: 'sink',
    status: stalled ? 'accepted' : 'shipped',
    region: order.destination.region,
    serviceLevel: order.serviceLevel,
    value: order.value,
    vip: order.customer.vip === true,
    promisedBy: order.promisedBy,
    acceptedAt: new Date().toISOString(),
  };
  if (!stalled) {
    Object.assign(state, {
      outcome: 'shipped',
      processedAt: new Date().toISOString(),
      carrier: options.carrier?.(order) ?? 'labelfast',
      service: 'std',
      shipmentId: `shp-${Math.random().toString(36).slice(2)}`,
      trackingNumber: `TRK${Math.floor(Math.random() * 1e9)}`,
      price: 10 + order.items.length,
      onTime: true,
    });
    options.decorate?.(order, state);
  }
  return state;
}

const STOCKED = SKU_CATALOGUE[0]!;
let sampleCounter = 0;

export function sampleOrder(overrides: Partial<Order> = {}): Order {
  sampleCounter++;
  return {
    id: `o-${sampleCounter}`,
    createdAt: '2026-03-01T10:00:00.000Z',
    customer: {
      name: 'Test Person',
      phone: '+15550000001',
      email: 'person@example.test',
      address: { line1: '1 Test Street', city: 'Testville', postcode: '100001', country: 'US' },
    },
    // A SKU the sandbox stocks, so the sandbox processes sample orders end to end.
    items: [{ sku: STOCKED.sku, qty: 1, weightKg: STOCKED.weightKg }],
    destination: { region: 'C', postcode: '100001' },
    serviceLevel: 'standard',
    promisedBy: '2026-03-04T18:00:00.000Z',
    value: 120,
    currency: 'USD',
    ...overrides,
  };
}

/** A day of orders, one every `everyMs` from `start`, with optional attribute cycling. */
export function sampleOrders(
  count: number,
  options: { start?: string; everyMs?: number; prefix?: string } = {},
): Order[] {
  const start = Date.parse(options.start ?? '2026-03-01T00:00:00.000Z');
  const regions = ['C', 'N', 'NW', 'S'] as const;
  return Array.from({ length: count }, (_, i) => {
    const createdAt = new Date(start + i * (options.everyMs ?? 1000)).toISOString();
    const region = regions[i % regions.length]!;
    const postcode = `${'C N NE E SE S SW W NW'.split(' ').indexOf(region) + 1}00001`;
    return sampleOrder({
      id: `${options.prefix ?? 'o'}-${i + 1}`,
      createdAt,
      promisedBy: new Date(Date.parse(createdAt) + 3 * 86_400_000).toISOString(),
      destination: { region, postcode },
      serviceLevel: i % 3 === 0 ? 'express' : 'standard',
    });
  });
}

/**
 * A stand-in traffic reader for tests: JSON text lines → TrafficRecords, validated
 * against the order schema (the real streaming readers live in scenarios/traffic).
 */
export async function* recordsFromLines(lines: string[]): AsyncGenerator<TrafficRecord> {
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { kind: 'quarantined', line, field: '(line)', code: 'malformed-json', reason: 'malformed JSON' };
      continue;
    }
    const check = checkOrder(value);
    if (check.ok) yield { kind: 'order', line, order: check.value };
    else
      yield {
        kind: 'quarantined',
        line,
        field: check.issues[0]?.path.slice(1).replaceAll('/', '.') || '(line)',
        code: 'invalid-field',
        reason: 'does not match the order schema',
      };
  }
}

export function recordsFromOrders(orders: Order[]): AsyncGenerator<TrafficRecord> {
  return recordsFromLines(orders.map((order) => JSON.stringify(order)));
}
