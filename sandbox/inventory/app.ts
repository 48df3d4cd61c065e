import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { type Reservation, WAREHOUSES, type Warehouse } from '../../contracts/domain/inventory.ts';
import {
  type InventoryErrorCode,
  ReservationParams,
  ReservationResponse,
  ReserveBody,
  StockQuery,
  StockResponse,
} from '../../contracts/inventory/api.ts';
import { type CatalogueItem, skuCatalogue } from '../../contracts/inventory/catalogue.ts';
import { recordRoutes } from '../../core/http/route-table.ts';
import { seededRandom } from '../../core/prng.ts';
import { DEFAULT_PROFILE, type ServiceProfile } from '../admin/faults.ts';
import { numberParam, optionalString, type ProviderStates, stringParam } from '../admin/provider-states.ts';
import { secretMatches } from '../admin/secret.ts';
import { installSandboxService, type SandboxServiceKit } from '../admin/service.ts';
import { validationIssues } from '../admin/validation-issues.ts';
import type { VirtualClock } from '../clock/clock.ts';
import { StockLedger } from './ledger.ts';
import { openingStock } from './seed-stock.ts';

export interface InventoryServiceOptions {
  clock: Pick<VirtualClock, 'now'>;
  adminToken: string;
  /** When set, API calls must carry it in `X-Api-Key`; the sandbox world runs without one. */
  apiKey?: string;
  seed?: number;
  /** The catalogue to stock (default: the shared SKU catalogue of the default seed). */
  catalogue?: readonly CatalogueItem[];
  version?: string;
  latency?: { minMs: number; maxMs: number };
  errorRate?: number;
  logger?: boolean;
}

export interface InventoryApp {
  app: FastifyInstance;
  kit: SandboxServiceKit;
  ledger: StockLedger;
}

export async function buildInventoryApp(options: InventoryServiceOptions): Promise<FastifyInstance> {
  return (await buildInventory(options)).app;
}

export async function buildInventory(options: InventoryServiceOptions): Promise<InventoryApp> {
  const seed = options.seed ?? 1;
  const catalogue = options.catalogue ?? skuCatalogue();
  const app = Fastify({
    logger: options.logger ?? false,
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  recordRoutes(app);
  const profile: ServiceProfile = {
    ...DEFAULT_PROFILE,
    ...(options.latency ? { latency: options.latency } : {}),
    ...(options.errorRate !== undefined ? { errorRate: options.errorRate } : {}),
  };
  const random = seededRandom(`reservations:${seed}`);
  const ledger = new StockLedger(
    () =>
      `res_${Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0')}${Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0')}`,
  );
  const restock = () => {
    ledger.clear();
    for (const row of openingStock(catalogue, seed)) ledger.setStock(row.sku, row.warehouse, row.onHand);
  };
  restock();

  const providerStates: ProviderStates = {};
  const kit = installSandboxService(app, {
    service: 'inventory',
    version: options.version ?? 'stable',
    clock: options.clock,
    adminToken: options.adminToken,
    profile,
    seed,
    providerStates,
  });
  const registry = kit.metrics.registry;
  const outcomes = new Counter({
    name: 'sandbox_inventory_reservations_total',
    help: 'Reservation requests and transitions at the inventory service, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  let expiredSeen = 0;
  new Gauge({
    name: 'sandbox_inventory_units',
    help: 'Units in the inventory service by warehouse and state (on_hand, reserved)',
    labelNames: ['warehouse', 'state'],
    registers: [registry],
    collect() {
      ledger.sweep(options.clock.now());
      if (ledger.expiredTotal > expiredSeen) {
        outcomes.inc({ outcome: 'expired' }, ledger.expiredTotal - expiredSeen);
        expiredSeen = ledger.expiredTotal;
      }
      for (const [warehouse, cell] of Object.entries(ledger.totals())) {
        this.set({ warehouse, state: 'on_hand' }, cell.onHand);
        this.set({ warehouse, state: 'reserved' }, cell.reserved);
      }
    },
  });

  const fail = (
    reply: FastifyReply,
    status: number,
    code: InventoryErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) => reply.code(status).send({ error: { code, message, ...extra } });

  await app.register(async (api) => {
    if (options.apiKey) {
      const key = options.apiKey;
      api.addHook('onRequest', async (request, reply) => {
        const presented = request.headers['x-api-key'];
        if (!secretMatches(typeof presented === 'string' ? presented : undefined, key)) {
          return fail(reply, 401, 'UNAUTHORIZED', 'a valid X-Api-Key is required');
        }
      });
    }
    api.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.validation) {
        const issues = validationIssues(error);
        return fail(reply, 400, 'INVALID_REQUEST', issues.map((i) => i.message).join('; '), {
          field: issues[0]?.field,
        });
      }
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      return fail(reply, status, 'INVALID_REQUEST', error.message);
    });

    api.get(
      '/v1/stock',
      {
        schema: { querystring: StockQuery, response: { 200: StockResponse } },
        config: { operation: 'availability' },
      },
      async (request) => {
        const skus = (request.query as StockQuery).skus
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        return ledger.levels([...new Set(skus)], options.clock.now());
      },
    );

    api.post(
      '/v1/reservations',
      {
        schema: { body: ReserveBody, response: { 200: ReservationResponse, 201: ReservationResponse } },
        config: { operation: 'reserve' },
      },
      async (request, reply) => {
        const result = ledger.reserve(request.body as ReserveBody, options.clock.now());
        switch (result.kind) {
          case 'created':
            outcomes.inc({ outcome: 'held' });
            return reply.code(201).send(result.reservation);
          case 'replayed':
            outcomes.inc({ outcome: 'replayed' });
            return reply.code(200).send(result.reservation);
          case 'insufficient':
            outcomes.inc({ outcome: 'insufficient' });
            return fail(
              reply,
              409,
              'INSUFFICIENT_STOCK',
              result.warehouse
                ? `not enough ${result.sku} in ${result.warehouse} to ship the order from one warehouse: ${result.requested} requested, ${result.available} there (no warehouse holds every line)`
                : `not enough ${result.sku}: ${result.requested} requested, ${result.available} available`,
              {
                sku: result.sku,
                requested: result.requested,
                available: result.available,
              },
            );
          case 'unknown_sku':
            outcomes.inc({ outcome: 'unknown_sku' });
            return fail(reply, 422, 'UNKNOWN_SKU', `unknown SKU ${result.sku}`, {
              sku: result.sku,
              field: 'lines',
            });
          case 'key_reused':
            outcomes.inc({ outcome: 'key_reused' });
            return fail(
              reply,
              409,
              'IDEMPOTENCY_KEY_REUSED',
              'the idempotency key was used for a different request',
              {
                field: 'idempotencyKey',
              },
            );
        }
      },
    );

    api.get(
      '/v1/reservations/:id',
      {
        schema: { params: ReservationParams, response: { 200: ReservationResponse } },
        config: { operation: 'get_reservation' },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const reservation = ledger.get(id, options.clock.now());
        return reservation ?? fail(reply, 404, 'RESERVATION_NOT_FOUND', `reservation ${id} not found`);
      },
    );

    for (const action of ['commit', 'release'] as const) {
      api.post(
        `/v1/reservations/:id/${action}`,
        {
          schema: { params: ReservationParams, response: { 200: ReservationResponse } },
          config: { operation: action },
        },
        async (request, reply) => {
          const { id } = request.params as { id: string };
          const result =
            action === 'commit'
              ? ledger.commit(id, options.clock.now())
              : ledger.release(id, options.clock.now());
          if (result.kind === 'not_found')
            return fail(reply, 404, 'RESERVATION_NOT_FOUND', `reservation ${id} not found`);
          if (result.kind === 'refused') {
            return fail(
              reply,
              409,
              result.code,
              `cannot ${action} reservation ${id}: it is ${result.reservation.status}`,
            );
          }
          if (result.changed) outcomes.inc({ outcome: action === 'commit' ? 'committed' : 'released' });
          return result.reservation;
        },
      );
    }
  });

  const warehouseParam = (params: Record<string, unknown>): Warehouse => {
    const warehouse = optionalString(params, 'warehouse') ?? 'WH-C';
    if (!WAREHOUSES.includes(warehouse as Warehouse))
      throw new Error(`warehouse must be one of ${WAREHOUSES.join(', ')}`);
    return warehouse as Warehouse;
  };

  Object.assign(providerStates, {
    default: {
      description: 'the opening stock of the seeded catalogue, no reservations, no faults',
      setup: () => {
        restock();
        kit.faults.clear();
      },
    },
    'SKU has stock': {
      description:
        'params: sku, qty, warehouse? (default WH-C): exactly qty available there and none elsewhere, no holds on it; ' +
        'an unknown SKU is added. Also by name: "SKU PHN-0001 has 3 in stock"',
      pattern: /^SKU (?<sku>\S+) has (?<qty>\d+) in stock(?: in (?<warehouse>WH-\S+))?$/,
      setup: (params) => {
        const sku = stringParam(params, 'sku');
        const warehouse = warehouseParam(params);
        ledger.dropHolds(sku);
        for (const w of WAREHOUSES) ledger.setStock(sku, w, w === warehouse ? numberParam(params, 'qty') : 0);
      },
    },
    'SKU is out of stock': {
      description:
        'params: sku: none available in any warehouse. Also by name: "SKU PHN-0001 is out of stock"',
      pattern: /^SKU (?<sku>\S+) is out of stock$/,
      setup: (params) => {
        const sku = stringParam(params, 'sku');
        ledger.dropHolds(sku);
        for (const w of WAREHOUSES) ledger.setStock(sku, w, 0);
      },
    },
    'reservation exists': {
      description:
        'params: reservationId, status? (held | committed | released | expired; default held), sku? (default PHN-0001), ' +
        'qty? (1), orderId?, idempotencyKey?, warehouse?, ttlSeconds? (900). Also "reservation res_1 is committed"',
      pattern: /^reservation (?<reservationId>\S+) (?:exists|is (?<status>held|committed|released|expired))$/,
      setup: (params) => {
        const status = (optionalString(params, 'status') ?? 'held') as Reservation['status'];
        const sku = optionalString(params, 'sku') ?? 'PHN-0001';
        const qty = numberParam(params, 'qty', 1);
        const warehouse = warehouseParam(params);
        const now = options.clock.now();
        const expiresAtMs = now + numberParam(params, 'ttlSeconds', 900) * 1000;
        if (
          !ledger.knows(sku) ||
          ledger.levels([sku], now).items.find((l) => l.warehouse === warehouse)!.available < qty
        ) {
          ledger.setStock(sku, warehouse, qty + 10);
        }
        const reservationId = stringParam(params, 'reservationId');
        ledger.insert(
          {
            reservationId,
            idempotencyKey: optionalString(params, 'idempotencyKey') ?? `key-${reservationId}`,
            orderId: optionalString(params, 'orderId') ?? `order-${reservationId}`,
            warehouse,
            lines: [{ sku, qty }],
            status,
            expiresAt: new Date(expiresAtMs).toISOString(),
          },
          expiresAtMs,
        );
      },
    },
    'inventory is down': {
      description: 'every API request answers 503 until torn down (a full outage)',
      setup: () => kit.faults.replace([{ id: 'provider-state-outage', kind: 'outage' }]),
      teardown: () => kit.faults.clear(),
    },
  } satisfies ProviderStates);

  return { app, kit, ledger };
}
