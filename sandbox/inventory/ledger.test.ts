import { describe, expect, it } from 'vitest';
import { StockLedger } from './ledger.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');

function ledger() {
  let n = 0;
  const l = new StockLedger(() => `res_${++n}`);
  l.setStock('A', 'WH-C', 5);
  l.setStock('A', 'WH-NW', 2);
  l.setStock('B', 'WH-C', 0);
  l.setStock('B', 'WH-NW', 4);
  return l;
}

const req = (key: string, lines: { sku: string; qty: number }[], extra: object = {}) => ({
  orderId: `o-${key}`,
  idempotencyKey: key,
  lines,
  ttlSeconds: 600,
  ...extra,
});

describe('StockLedger', () => {
  it('holds, commits and releases, moving on-hand and reserved correctly', () => {
    const l = ledger();
    const held = l.reserve(req('k1', [{ sku: 'A', qty: 3 }]), T0);
    expect(held).toMatchObject({ kind: 'created', reservation: { warehouse: 'WH-C', status: 'held' } });
    expect(l.levels(['A'], T0).items[0]).toMatchObject({ onHand: 5, reserved: 3, available: 2 });
    const id = held.kind === 'created' ? held.reservation.reservationId : '';
    expect(l.commit(id, T0)).toMatchObject({
      kind: 'ok',
      changed: true,
      reservation: { status: 'committed' },
    });
    expect(l.levels(['A'], T0).items[0]).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    expect(l.commit(id, T0)).toMatchObject({ kind: 'ok', changed: false });
    expect(l.release(id, T0)).toMatchObject({ kind: 'refused', code: 'RESERVATION_COMMITTED' });
  });

  it('chooses a warehouse that can serve every line, preferring the one asked for', () => {
    const l = ledger();
    expect(
      l.reserve(
        req('k1', [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 1 },
        ]),
        T0,
      ),
    ).toMatchObject({
      reservation: { warehouse: 'WH-NW' },
    });
    expect(l.reserve(req('k2', [{ sku: 'A', qty: 1 }], { preferWarehouse: 'WH-NW' }), T0)).toMatchObject({
      reservation: { warehouse: 'WH-NW' },
    });
  });

  it('refuses a shortage naming the SKU, and an unknown SKU', () => {
    const l = ledger();
    expect(l.reserve(req('k1', [{ sku: 'A', qty: 6 }]), T0)).toEqual({
      kind: 'insufficient',
      sku: 'A',
      requested: 6,
      available: 5,
    });
    expect(l.reserve(req('k2', [{ sku: 'Z', qty: 1 }]), T0)).toEqual({ kind: 'unknown_sku', sku: 'Z' });
  });

  it('names the warehouse and its short line when every line is in stock, but not in one warehouse', () => {
    const l = ledger();
    l.setStock('C', 'WH-NW', 1);
    // A: 5 in WH-C, 2 in WH-NW; B and C only in WH-NW. WH-C lacks two lines, WH-NW one:
    // three A, where it holds two.
    expect(
      l.reserve(
        req('k1', [
          { sku: 'A', qty: 3 },
          { sku: 'B', qty: 1 },
          { sku: 'C', qty: 1 },
        ]),
        T0,
      ),
    ).toEqual({ kind: 'insufficient', sku: 'A', requested: 3, available: 2, warehouse: 'WH-NW' });
  });

  it('replays an idempotency key and refuses it for a different request', () => {
    const l = ledger();
    const first = l.reserve(req('k1', [{ sku: 'A', qty: 2 }]), T0);
    const again = l.reserve(req('k1', [{ sku: 'A', qty: 2 }]), T0);
    expect(again.kind).toBe('replayed');
    expect(again).toMatchObject({
      reservation: {
        reservationId: (first as { reservation: { reservationId: string } }).reservation.reservationId,
      },
    });
    expect(l.levels(['A'], T0).items[0]!.reserved).toBe(2);
    expect(l.reserve(req('k1', [{ sku: 'A', qty: 3 }]), T0).kind).toBe('key_reused');
  });

  it('returns expired holds to stock in virtual time', () => {
    const l = ledger();
    const held = l.reserve(req('k1', [{ sku: 'A', qty: 5 }]), T0);
    const id = held.kind === 'created' ? held.reservation.reservationId : '';
    expect(l.reserve(req('k2', [{ sku: 'A', qty: 3 }]), T0 + 599_000).kind).toBe('insufficient');
    expect(l.reserve(req('k3', [{ sku: 'A', qty: 3 }]), T0 + 600_000)).toMatchObject({
      kind: 'created',
      reservation: { warehouse: 'WH-C' },
    });
    expect(l.get(id, T0 + 600_000)?.status).toBe('expired');
    expect(l.commit(id, T0 + 600_000)).toMatchObject({ kind: 'refused', code: 'RESERVATION_EXPIRED' });
    expect(l.release(id, T0 + 600_000)).toMatchObject({ kind: 'ok', changed: false });
    expect(l.levels(['A'], T0 + 600_000).items[0]).toMatchObject({ onHand: 5, reserved: 3, available: 2 });
    expect(l.expiredTotal).toBe(1);
  });
});
