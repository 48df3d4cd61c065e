import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKU_CATALOGUE } from '../../contracts/inventory/catalogue.ts';
import { InventoryError } from '../../contracts/inventory/client.ts';
import { createInventoryClient } from '../../contracts/inventory/http-client.ts';
import { createSandboxAdminClient } from '../admin/client.ts';
import { manualClock } from '../admin/manual-clock.ts';
import type { RunningService } from '../carriers/start.ts';
import { startInventory } from './start.ts';

const clock = manualClock();
const ADMIN = 'inventory-admin-token';
let service: RunningService;

const client = () => createInventoryClient({ baseUrl: service.url, timeoutMs: 2000 });
async function providerState(state: string, params: Record<string, unknown> = {}) {
  await createSandboxAdminClient({ baseUrl: service.url, token: ADMIN }).providerState(state, params);
}

beforeAll(async () => {
  service = await startInventory({ clock, adminToken: ADMIN, latency: { minMs: 0, maxMs: 0 } });
});
afterAll(async () => {
  await service.close();
});

describe('inventory service over real HTTP through its client', () => {
  it('stocks the shared catalogue', async () => {
    const skus = SKU_CATALOGUE.slice(0, 5).map((item) => item.sku);
    const levels = await client().availability(skus);
    expect(levels).toHaveLength(10);
    expect(levels.every((level) => level.available === level.onHand - level.reserved)).toBe(true);
    expect(levels.some((level) => level.onHand > 0)).toBe(true);
  });

  it('runs a reservation through hold → commit, and release is refused afterwards', async () => {
    await providerState('SKU LIFE-1 has 3 in stock');
    const reservation = await client().reserve({
      orderId: 'o-1',
      idempotencyKey: 'k-life-1',
      lines: [{ sku: 'LIFE-1', qty: 2 }],
      ttlSeconds: 900,
    });
    expect(reservation).toMatchObject({
      status: 'held',
      warehouse: 'WH-C',
      lines: [{ sku: 'LIFE-1', qty: 2 }],
    });
    expect(reservation.reservationId).toMatch(/^res_[0-9a-f]{16}$/);
    const [central] = await client().availability(['LIFE-1']);
    expect(central).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
    expect(await client().commit(reservation.reservationId)).toMatchObject({ status: 'committed' });
    expect((await client().availability(['LIFE-1']))[0]).toMatchObject({
      onHand: 1,
      reserved: 0,
      available: 1,
    });
    const refused = await client()
      .release(reservation.reservationId)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      name: 'InventoryError',
      status: 409,
      details: { code: 'RESERVATION_COMMITTED' },
    });
  });

  it('replays an idempotency key without holding twice', async () => {
    await providerState('SKU has stock', { sku: 'IDEM-1', qty: 5 });
    const request = {
      orderId: 'o-2',
      idempotencyKey: 'k-idem-1',
      lines: [{ sku: 'IDEM-1', qty: 2 }],
      ttlSeconds: 900,
    };
    const [a, b] = await Promise.all([client().reserve(request), client().reserve(request)]);
    expect(a.reservationId).toBe(b.reservationId);
    expect((await client().availability(['IDEM-1']))[0]).toMatchObject({ reserved: 2 });
    const reused = await client()
      .reserve({ ...request, lines: [{ sku: 'IDEM-1', qty: 1 }] })
      .catch((e: unknown) => e);
    expect(reused).toMatchObject({
      status: 409,
      details: { code: 'IDEMPOTENCY_KEY_REUSED' },
      outOfStock: false,
    });
  });

  it('answers a shortage with 409, its code and the SKU', async () => {
    await providerState('SKU SHORT-1 has 1 in stock');
    const error = await client()
      .reserve({
        orderId: 'o-3',
        idempotencyKey: 'k-short-1',
        lines: [{ sku: 'SHORT-1', qty: 2 }],
        ttlSeconds: 60,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({
      status: 409,
      outOfStock: true,
      retryable: false,
      details: { code: 'INSUFFICIENT_STOCK', sku: 'SHORT-1' },
    });
  });

  it('expires a hold in virtual time and returns its stock', async () => {
    await providerState('SKU EXP-1 has 2 in stock');
    const held = await client().reserve({
      orderId: 'o-4',
      idempotencyKey: 'k-exp-1',
      lines: [{ sku: 'EXP-1', qty: 2 }],
      ttlSeconds: 300,
    });
    expect((await client().availability(['EXP-1']))[0]!.available).toBe(0);
    clock.advance(301_000);
    expect((await client().availability(['EXP-1']))[0]).toMatchObject({ available: 2, reserved: 0 });
    const late = await client()
      .commit(held.reservationId)
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ status: 409, details: { code: 'RESERVATION_EXPIRED' } });
    expect(await client().release(held.reservationId)).toMatchObject({ status: 'expired' });
  });

  it('names the field of an invalid request', async () => {
    const response = await fetch(`${service.url}/v1/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        orderId: 'o',
        idempotencyKey: 'k',
        lines: [{ sku: 'A', qty: 0 }],
        ttlSeconds: 10,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_REQUEST', field: 'lines[0].qty' },
    });
  });

  it('never oversells under concurrent reservations, commits and releases (property, real HTTP)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.record({
            lines: fc.array(fc.record({ item: fc.nat(2), qty: fc.integer({ min: 1, max: 3 }) }), {
              minLength: 1,
              maxLength: 2,
            }),
            after: fc.constantFrom('hold', 'commit', 'release'),
          }),
          { minLength: 1, maxLength: 16 },
        ),
        async (stock, requests) => {
          run++;
          const skus = stock.map((_, i) => `PROP-${run}-${i}`);
          for (const [i, qty] of stock.entries()) await providerState('SKU has stock', { sku: skus[i], qty });
          const outcomes = await Promise.all(
            requests.map(async (request, n) => {
              const lines = request.lines.map((line) => ({
                sku: skus[line.item % skus.length]!,
                qty: line.qty,
              }));
              try {
                const reservation = await client().reserve({
                  orderId: `o-${run}-${n}`,
                  idempotencyKey: `k-${run}-${n}`,
                  lines,
                  ttlSeconds: 3600,
                });
                if (request.after === 'commit') await client().commit(reservation.reservationId);
                if (request.after === 'release') await client().release(reservation.reservationId);
                return { lines, kept: request.after !== 'release' };
              } catch (error) {
                if (error instanceof InventoryError && error.outOfStock) return { lines, kept: false };
                throw error;
              }
            }),
          );
          const levels = await client().availability(skus);
          for (const level of levels) expect(level.available).toBeGreaterThanOrEqual(0);
          for (const [i, sku] of skus.entries()) {
            const kept = outcomes
              .filter((o) => o.kept)
              .flatMap((o) => o.lines)
              .filter((l) => l.sku === sku);
            const keptQty = kept.reduce((sum, line) => sum + line.qty, 0);
            expect(keptQty).toBeLessThanOrEqual(stock[i]!);
            // What is gone (committed) plus what is held equals what was kept.
            const central = levels.find((l) => l.sku === sku && l.warehouse === 'WH-C')!;
            expect(stock[i]! - central.onHand + central.reserved).toBe(keptQty);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('admin API', () => {
  const put = (token?: string) =>
    fetch(`${service.url}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({
        faults: [{ kind: 'error', rate: 1, status: 503, operations: ['availability'] }],
      }),
    });

  it('refuses a missing or wrong token', async () => {
    expect((await put()).status).toBe(401);
    expect((await put('wrong')).status).toBe(401);
    expect((await put(`${ADMIN}x`)).status).toBe(401);
    expect((await fetch(`${service.url}/admin/faults`)).status).toBe(401);
    expect((await fetch(`${service.url}/admin/provider-state`, { method: 'POST', body: '{}' })).status).toBe(
      401,
    );
  });

  it('refuses an oversized admin body', async () => {
    const response = await fetch(`${service.url}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ faults: [{ kind: 'latency', id: 'x'.repeat(70_000) }] }),
    });
    expect(response.status).toBe(413);
  });

  it('applies a fault to the named operation only, and removes it', async () => {
    expect((await put(ADMIN)).status).toBe(200);
    const error = await client()
      .availability(['PHN-0001'])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, retryable: true });
    await expect(
      client().reserve({
        orderId: 'o-f',
        idempotencyKey: 'k-f',
        lines: [{ sku: 'PHN-0001', qty: 1 }],
        ttlSeconds: 60,
      }),
    ).resolves.toBeDefined();
    const listed = (await (
      await fetch(`${service.url}/admin/faults`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json()) as {
      faults: { active: boolean; applied: number }[];
    };
    expect(listed.faults).toEqual([expect.objectContaining({ active: true, applied: 1 })]);
    const removed = await fetch(`${service.url}/admin/faults`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(removed.status).toBe(200);
    await expect(client().availability(['PHN-0001'])).resolves.toHaveLength(2);
  });

  it('lists its provider states and refuses a bad fault list through the admin client', async () => {
    const admin = createSandboxAdminClient({ baseUrl: service.url, token: ADMIN });
    expect((await admin.providerStates()).map((s) => s.name)).toContain('reservation exists');
    await expect(admin.setFaults([{ kind: 'error', rate: 2 }])).rejects.toThrow(/rate/);
    expect(await admin.getFaults()).toEqual([]);
  });

  it('names an unknown provider state and lists the known ones', async () => {
    const response = await fetch(`${service.url}/admin/provider-state`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'the moon is full' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('SKU has stock');
  });
});

describe('/metrics', () => {
  it('parses as Prometheus text and every sample carries a version label', async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(5);
    for (const line of samples) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\} (-?[0-9.e+-]+|NaN|[+-]Inf)$/);
      expect(line).toContain('version="stable"');
    }
    expect(text).toContain('sandbox_inventory_reservations_total{outcome="held"');
    expect(text).toContain('sandbox_service_requests_total{operation="reserve",code="201"');
  });
});
