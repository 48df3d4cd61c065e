import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROOT_CONTEXT, type Tracer, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import Fastify, { type FastifyInstance } from 'fastify';
import pLimit from 'p-limit';
import Type from 'typebox';
import type { CarrierClient } from '../../contracts/carriers/client.ts';
import { Order } from '../../contracts/domain/order.ts';
import type { InventoryClient } from '../../contracts/inventory/client.ts';
import {
  ApiError,
  ClockState,
  LookupRequest,
  LookupResponse,
  OrderAccepted,
  OrderState,
  OrderStatus,
  PLATFORM_PATHS,
} from '../../contracts/platform/api.ts';
import { recordRoutes } from '../../core/http/route-table.ts';
import { seededRandom, uniformFrom } from '../../core/prng.ts';
import type { VirtualClock } from '../clock/clock.ts';
import type { DefectName } from './defects.ts';
import { DEFECT_PARAMS } from './defects.ts';
import { createPlatformMetrics } from './metrics.ts';
import { processOrder } from './pipeline.ts';
import { OrderStore } from './store.ts';
import { createTracker } from './tracker.ts';

export interface PlatformOptions {
  /** `stable`, `canary` or a build id: the `version` label on every series. */
  version: string;
  defect?: DefectName;
  clock: VirtualClock;
  inventory: InventoryClient;
  carriers: CarrierClient[];
  tracer?: Tracer;
  seed?: number;
  /** Orders processed at once; more wait in the queue. */
  concurrency?: number;
  /** Orders waiting beyond this are refused with 503 (backpressure, not loss). */
  maxQueue?: number;
  /** Real-time delay used by the latency defect (tests may replace it). */
  sleep?: (ms: number) => Promise<void>;
  logger?: boolean;
}

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  get: (carrier: Record<string, unknown>, key: string) => carrier[key] as string | undefined,
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
};

/**
 * The sandbox logistics platform: the system under test. Intake accepts an order
 * (idempotent by order id) and queues it; the pipeline processes it asynchronously.
 */
export function buildPlatformApp(options: PlatformOptions): FastifyInstance {
  const defect = options.defect ?? 'none';
  const { clock, version } = options;
  const metrics = createPlatformMetrics(version);
  const store = new OrderStore();
  const tracer = options.tracer ?? trace.getTracer('shipgate-sandbox-platform');
  const random = seededRandom(options.seed ?? 1);
  const limit = pLimit(options.concurrency ?? 64);
  const maxQueue = options.maxQueue ?? 50_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const processing = new Set<Promise<void>>();

  const tracker = createTracker({
    clock,
    carriers: options.carriers,
    onDelivered: (orderId, shipment, deliveredAt) => {
      const state = store.get(orderId);
      if (!state) return;
      const onTime = deliveredAt <= Date.parse(state.promisedBy);
      store.update(orderId, {
        status: 'delivered',
        deliveredAt: new Date(deliveredAt).toISOString(),
        onTime,
      });
      metrics.deliveries.inc({ on_time: String(onTime), carrier: shipment.carrier, region: state.region });
    },
  });

  const deps = {
    version,
    clock,
    inventory: options.inventory,
    carriers: options.carriers,
    metrics,
    store,
    tracker,
    tracer,
    defect,
    random,
    sleep,
    inFlight: () => limit.activeCount + limit.pendingCount,
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
  }).withTypeProvider<TypeBoxTypeProvider>();
  recordRoutes(app);
  app.decorate('platform', { store, metrics, tracker, version, defect });

  app.post(
    PLATFORM_PATHS.orders,
    { schema: { body: Order, response: { 202: OrderAccepted, 503: ApiError } } },
    async (request, reply) => {
      const order = request.body;
      if (store.has(order.id))
        return reply.code(202).send({ orderId: order.id, status: 'accepted', version, duplicate: true });
      if (limit.pendingCount >= maxQueue) {
        return reply.code(503).header('retry-after', '1').send({ error: 'queue full', orderId: order.id });
      }
      const acceptedAt = clock.now();
      store.accept(order, version, new Date(acceptedAt).toISOString());
      metrics.ordersReceived.inc();
      if (defect === 'dropped-orders' && uniformFrom(order.id, 'drop') < DEFECT_PARAMS.droppedOrders.share) {
        // The defect: the order vanishes from the queue after a 202. Nothing errors.
        store.forget(order.id);
      } else {
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
        const job = limit(() => processOrder(order, acceptedAt, parent, deps));
        processing.add(job);
        void job.finally(() => processing.delete(job));
      }
      return reply.code(202).send({ orderId: order.id, status: 'accepted', version, duplicate: false });
    },
  );

  app.get(
    PLATFORM_PATHS.order,
    { schema: { params: Type.Object({ id: Type.String() }), response: { 200: OrderState, 404: ApiError } } },
    async (request, reply) => {
      const state = store.get(request.params.id);
      if (!state) return reply.code(404).send({ error: 'order not found', orderId: request.params.id });
      return state;
    },
  );

  app.post(
    PLATFORM_PATHS.lookup,
    { schema: { body: LookupRequest, response: { 200: LookupResponse } } },
    async (request) => {
      const orders: OrderState[] = [];
      const missing: string[] = [];
      for (const id of request.body.ids) {
        const state = store.get(id);
        if (state) orders.push(state);
        else missing.push(id);
      }
      return { orders, missing };
    },
  );

  app.get(
    PLATFORM_PATHS.orders,
    {
      schema: {
        querystring: Type.Object({
          status: Type.Optional(OrderStatus),
          limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
          after: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const orders = store.list(request.query);
      return { orders, next: orders.length === request.query.limit ? orders.at(-1)?.orderId : undefined };
    },
  );

  app.get(PLATFORM_PATHS.clock, { schema: { response: { 200: ClockState } } }, async () => ({
    now: clock.nowIso(),
    speed: clock.speed,
  }));

  app.get('/healthz', async () => ({
    status: 'ok',
    version,
    defect,
    queued: limit.pendingCount,
    orders: store.size,
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.addHook('onClose', async () => {
    await tracker.stop();
    await Promise.allSettled([...processing]);
  });

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: {
      store: OrderStore;
      metrics: ReturnType<typeof createPlatformMetrics>;
      tracker: ReturnType<typeof createTracker>;
      version: string;
      defect: DefectName;
    };
  }
}
