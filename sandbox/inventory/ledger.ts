import {
  type Reservation,
  type StockLevel,
  WAREHOUSES,
  type Warehouse,
} from '../../contracts/domain/inventory.ts';
import type { ReserveBody } from '../../contracts/inventory/api.ts';

interface Cell {
  onHand: number;
  reserved: number;
}

interface Held {
  reservation: Reservation;
  expiresAtMs: number;
  /** The request behind the idempotency key, to refuse the key reused for another request. */
  fingerprint: string;
}

export type ReserveResult =
  | { kind: 'created' | 'replayed'; reservation: Reservation }
  | {
      kind: 'insufficient';
      sku: string;
      requested: number;
      available: number;
      /**
       * Set when every line is in stock somewhere but no one warehouse holds them all (an
       * order ships from one warehouse): the line that warehouse, the closest to serving
       * the order, falls short on, and what it holds.
       */
      warehouse?: Warehouse;
    }
  | { kind: 'unknown_sku'; sku: string }
  | { kind: 'key_reused'; reservationId: string };

export type TransitionResult =
  | { kind: 'ok'; reservation: Reservation; changed: boolean }
  | { kind: 'not_found' }
  | {
      kind: 'refused';
      code: 'RESERVATION_EXPIRED' | 'RESERVATION_RELEASED' | 'RESERVATION_COMMITTED';
      reservation: Reservation;
    };

/**
 * Stock per SKU per warehouse and the reservations against it. Every operation runs to
 * completion synchronously (no await inside), so concurrent requests on Node's one
 * thread cannot interleave between the availability check and the hold: no overselling.
 * Holds expire in virtual time; each operation first returns expired holds to stock.
 */
export class StockLedger {
  #cells = new Map<string, Map<Warehouse, Cell>>();
  #reservations = new Map<string, Held>();
  #held = new Set<string>();
  #byKey = new Map<string, string>();
  #nextId: () => string;

  constructor(nextId: () => string) {
    this.#nextId = nextId;
  }

  setStock(sku: string, warehouse: Warehouse, onHand: number): void {
    const cells = this.#cells.get(sku) ?? new Map<Warehouse, Cell>();
    this.#cells.set(sku, cells);
    const cell = cells.get(warehouse) ?? { onHand: 0, reserved: 0 };
    cell.onHand = Math.max(0, Math.floor(onHand));
    cells.set(warehouse, cell);
  }

  /** Drops the holds on one SKU (provider states that set an exact stock). */
  dropHolds(sku: string): void {
    for (const id of [...this.#held]) {
      const held = this.#reservations.get(id)!;
      if (held.reservation.lines.some((line) => line.sku === sku)) this.#finish(held, 'released');
    }
  }

  clear(): void {
    this.#cells.clear();
    this.#reservations.clear();
    this.#held.clear();
    this.#byKey.clear();
  }

  knows(sku: string): boolean {
    return this.#cells.has(sku);
  }

  skus(): string[] {
    return [...this.#cells.keys()];
  }

  levels(skus: string[], now: number): { items: StockLevel[]; unknown: string[] } {
    this.sweep(now);
    const items: StockLevel[] = [];
    const unknown: string[] = [];
    for (const sku of skus) {
      const cells = this.#cells.get(sku);
      if (!cells) {
        unknown.push(sku);
        continue;
      }
      for (const warehouse of WAREHOUSES) {
        const cell = cells.get(warehouse) ?? { onHand: 0, reserved: 0 };
        items.push({
          sku,
          warehouse,
          onHand: cell.onHand,
          reserved: cell.reserved,
          available: cell.onHand - cell.reserved,
        });
      }
    }
    return { items, unknown };
  }

  /** Units on hand and reserved per warehouse, for the gauges. */
  totals(): Record<Warehouse, Cell> {
    const totals = Object.fromEntries(WAREHOUSES.map((w) => [w, { onHand: 0, reserved: 0 }])) as Record<
      Warehouse,
      Cell
    >;
    for (const cells of this.#cells.values()) {
      for (const [warehouse, cell] of cells) {
        totals[warehouse].onHand += cell.onHand;
        totals[warehouse].reserved += cell.reserved;
      }
    }
    return totals;
  }

  reserve(request: ReserveBody, now: number): ReserveResult {
    this.sweep(now);
    const wanted = new Map<string, number>();
    for (const line of request.lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.qty);
    const fingerprint = JSON.stringify([request.orderId, [...wanted].sort()]);
    const existingId = this.#byKey.get(request.idempotencyKey);
    if (existingId) {
      const existing = this.#reservations.get(existingId)!;
      if (existing.fingerprint !== fingerprint) return { kind: 'key_reused', reservationId: existingId };
      return { kind: 'replayed', reservation: existing.reservation };
    }
    for (const sku of wanted.keys()) if (!this.#cells.has(sku)) return { kind: 'unknown_sku', sku };

    const order = request.preferWarehouse
      ? [request.preferWarehouse, ...WAREHOUSES.filter((w) => w !== request.preferWarehouse)]
      : [...WAREHOUSES];
    const warehouse = order.find((w) => [...wanted].every(([sku, qty]) => this.#available(sku, w) >= qty));
    if (!warehouse) {
      // A line no warehouse holds enough of: named with the most any warehouse has.
      const short = [...wanted].find(([s, q]) => Math.max(...order.map((w) => this.#available(s, w))) < q);
      if (short) {
        const [sku, requested] = short;
        return {
          kind: 'insufficient',
          sku,
          requested,
          available: Math.max(...order.map((w) => this.#available(sku, w))),
        };
      }
      // Every line is somewhere, not all in one place: the warehouse short of the fewest
      // lines, and its first short line.
      const shortIn = (w: Warehouse) => [...wanted].filter(([s, q]) => this.#available(s, w) < q);
      const closest = order.reduce((best, w) => (shortIn(w).length < shortIn(best).length ? w : best));
      const [sku, requested] = shortIn(closest)[0]!;
      return {
        kind: 'insufficient',
        sku,
        requested,
        available: this.#available(sku, closest),
        warehouse: closest,
      };
    }
    for (const [sku, qty] of wanted) this.#cell(sku, warehouse).reserved += qty;
    const reservation: Reservation = {
      reservationId: this.#nextId(),
      idempotencyKey: request.idempotencyKey,
      orderId: request.orderId,
      warehouse,
      lines: [...wanted].map(([sku, qty]) => ({ sku, qty })),
      status: 'held',
      expiresAt: new Date(now + request.ttlSeconds * 1000).toISOString(),
    };
    this.#store(reservation, now + request.ttlSeconds * 1000, fingerprint);
    return { kind: 'created', reservation };
  }

  get(id: string, now: number): Reservation | undefined {
    this.sweep(now);
    return this.#reservations.get(id)?.reservation;
  }

  commit(id: string, now: number): TransitionResult {
    this.sweep(now);
    const held = this.#reservations.get(id);
    if (!held) return { kind: 'not_found' };
    const { reservation } = held;
    if (reservation.status === 'committed') return { kind: 'ok', reservation, changed: false };
    if (reservation.status === 'expired')
      return { kind: 'refused', code: 'RESERVATION_EXPIRED', reservation };
    if (reservation.status === 'released')
      return { kind: 'refused', code: 'RESERVATION_RELEASED', reservation };
    for (const line of reservation.lines) {
      const cell = this.#cell(line.sku, reservation.warehouse);
      cell.reserved -= line.qty;
      cell.onHand -= line.qty;
    }
    reservation.status = 'committed';
    this.#held.delete(id);
    return { kind: 'ok', reservation, changed: true };
  }

  release(id: string, now: number): TransitionResult {
    this.sweep(now);
    const held = this.#reservations.get(id);
    if (!held) return { kind: 'not_found' };
    const { reservation } = held;
    if (reservation.status === 'committed')
      return { kind: 'refused', code: 'RESERVATION_COMMITTED', reservation };
    if (reservation.status !== 'held') return { kind: 'ok', reservation, changed: false };
    this.#finish(held, 'released');
    return { kind: 'ok', reservation, changed: true };
  }

  /** Returns expired holds to stock; the number expired. */
  sweep(now: number): number {
    let expired = 0;
    for (const id of this.#held) {
      const held = this.#reservations.get(id)!;
      if (held.expiresAtMs <= now) {
        this.#finish(held, 'expired');
        expired++;
      }
    }
    this.expiredTotal += expired;
    return expired;
  }

  /** Reservations expired since the ledger was made (a counter for metrics). */
  expiredTotal = 0;

  /** Inserts a reservation as it is (provider states); holds count against stock. */
  insert(reservation: Reservation, expiresAtMs: number): void {
    if (reservation.status === 'held') {
      for (const line of reservation.lines) this.#cell(line.sku, reservation.warehouse).reserved += line.qty;
    }
    this.#store(
      reservation,
      expiresAtMs,
      JSON.stringify([reservation.orderId, reservation.lines.map((l) => [l.sku, l.qty]).sort()]),
    );
  }

  #store(reservation: Reservation, expiresAtMs: number, fingerprint: string): void {
    this.#reservations.set(reservation.reservationId, { reservation, expiresAtMs, fingerprint });
    this.#byKey.set(reservation.idempotencyKey, reservation.reservationId);
    if (reservation.status === 'held') this.#held.add(reservation.reservationId);
  }

  #finish(held: Held, status: 'released' | 'expired'): void {
    for (const line of held.reservation.lines)
      this.#cell(line.sku, held.reservation.warehouse).reserved -= line.qty;
    held.reservation.status = status;
    this.#held.delete(held.reservation.reservationId);
  }

  #available(sku: string, warehouse: Warehouse): number {
    const cell = this.#cells.get(sku)?.get(warehouse);
    return cell ? cell.onHand - cell.reserved : 0;
  }

  #cell(sku: string, warehouse: Warehouse): Cell {
    let cells = this.#cells.get(sku);
    if (!cells) {
      cells = new Map();
      this.#cells.set(sku, cells);
    }
    let cell = cells.get(warehouse);
    if (!cell) {
      cell = { onHand: 0, reserved: 0 };
      cells.set(warehouse, cell);
    }
    return cell;
  }
}
