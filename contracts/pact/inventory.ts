import { RESERVATION_STATUSES, WAREHOUSES } from '../domain/inventory.ts';
import { InventoryError } from '../inventory/client.ts';
import { EXAMPLE_TIME } from './examples.ts';
import { expectThat } from './expect.ts';
import { eachLike, integer, isoDateTime, oneOf, regex, string } from './matchers.ts';
import type { InventoryInteraction } from './types.ts';

/**
 * The inventory service: availability, reserve (and the out-of-stock conflict), commit,
 * release. Stock levels and reservations are contracted by type; statuses as enums.
 */

const SKU = 'PHN-0001';
const HELD = 'res_0c0ffee00c0ffee1';
const TO_RELEASE = 'res_0c0ffee00c0ffee2';
const headers = { 'x-api-key': string('test-key') };

const reservation = (status: (typeof RESERVATION_STATUSES)[number], id = HELD) => ({
  reservationId: regex('^res_[0-9a-f]+$', id),
  idempotencyKey: string(`key-${id}`),
  orderId: string('ORD-CONTRACT-0001'),
  warehouse: oneOf(WAREHOUSES, 'WH-C'),
  lines: eachLike({ sku: string(SKU), qty: integer(2) }),
  status: oneOf(RESERVATION_STATUSES, status),
  expiresAt: isoDateTime(EXAMPLE_TIME),
});

const reserveRequest = (qty: number) => ({
  orderId: 'ORD-CONTRACT-0001',
  idempotencyKey: `ORD-CONTRACT-0001:reserve:${qty}`,
  lines: [{ sku: SKU, qty }],
  ttlSeconds: 900,
});

const reserveBody = (qty: number) => ({
  orderId: string('ORD-CONTRACT-0001'),
  idempotencyKey: string(`ORD-CONTRACT-0001:reserve:${qty}`),
  lines: eachLike({ sku: string(SKU), qty: integer(qty) }),
  ttlSeconds: integer(900),
});

export const inventoryInteractions: InventoryInteraction[] = [
  {
    id: 'inventory/availability',
    provider: 'inventory',
    description: 'stock levels of one SKU',
    states: [{ name: `SKU ${SKU} has 3 in stock` }],
    request: { method: 'GET', path: '/v1/stock', query: { skus: SKU }, headers },
    response: {
      status: 200,
      body: {
        items: eachLike({
          sku: string(SKU),
          warehouse: oneOf(WAREHOUSES, 'WH-C'),
          onHand: integer(3),
          reserved: integer(0),
          available: integer(3),
        }),
        unknown: [],
      },
    },
    async exercise(client) {
      const levels = await client.availability([SKU]);
      expectThat(levels.length > 0, 'no stock levels');
    },
  },
  {
    id: 'inventory/reserve',
    provider: 'inventory',
    description: 'reserving 2 of a SKU with 3 in stock',
    states: [{ name: `SKU ${SKU} has 3 in stock` }],
    request: { method: 'POST', path: '/v1/reservations', headers, body: reserveBody(2) },
    response: { status: 201, body: reservation('held') },
    async exercise(client) {
      const held = await client.reserve(reserveRequest(2));
      expectThat(held.status === 'held', `status ${held.status}`);
    },
  },
  {
    id: 'inventory/reserve-out-of-stock',
    provider: 'inventory',
    description: 'reserving 5 of a SKU with 3 in stock',
    states: [{ name: `SKU ${SKU} has 3 in stock` }],
    request: { method: 'POST', path: '/v1/reservations', headers, body: reserveBody(5) },
    response: {
      status: 409,
      body: {
        error: {
          code: 'INSUFFICIENT_STOCK',
          message: string(`not enough ${SKU}: 5 requested, 3 available`),
          sku: string(SKU),
          requested: integer(5),
          available: integer(3),
        },
      },
    },
    async exercise(client) {
      try {
        await client.reserve(reserveRequest(5));
      } catch (error) {
        expectThat(
          error instanceof InventoryError,
          `expected an InventoryError, got ${(error as Error).message}`,
        );
        expectThat(error.outOfStock, 'a 409 INSUFFICIENT_STOCK must read as out of stock');
        expectThat(error.details.sku === SKU, `details.sku ${error.details.sku}`);
        return;
      }
      throw new Error('client result: expected an out-of-stock refusal, but the reservation succeeded');
    },
  },
  {
    id: 'inventory/commit',
    provider: 'inventory',
    description: 'committing a held reservation',
    states: [{ name: `reservation ${HELD} is held` }],
    request: { method: 'POST', path: `/v1/reservations/${HELD}/commit`, headers },
    response: { status: 200, body: reservation('committed') },
    async exercise(client) {
      const committed = await client.commit(HELD);
      expectThat(committed.status === 'committed', `status ${committed.status}`);
    },
  },
  {
    id: 'inventory/release',
    provider: 'inventory',
    description: 'releasing a held reservation',
    states: [{ name: `reservation ${TO_RELEASE} is held` }],
    request: { method: 'POST', path: `/v1/reservations/${TO_RELEASE}/release`, headers },
    response: { status: 200, body: reservation('released', TO_RELEASE) },
    async exercise(client) {
      const released = await client.release(TO_RELEASE);
      expectThat(released.status === 'released', `status ${released.status}`);
    },
  },
];
