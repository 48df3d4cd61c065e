import type { Region, ServiceLevel } from '../../contracts/domain/order.ts';
import type { CarrierName } from '../../contracts/domain/shipping.ts';
import { seededRandom } from '../../core/prng.ts';

export const DAY_MS = 86_400_000;

/** A shipment as a sandbox carrier keeps it, whatever its API calls things. */
export interface ShipmentRecord {
  id: string;
  trackingNumber: string;
  carrier: CarrierName;
  serviceCode: string;
  level: ServiceLevel;
  from: Region;
  to: Region;
  fromPostcode: string;
  toPostcode: string;
  weightKg: number;
  price: number;
  currency: string;
  /** Virtual epoch ms. */
  createdAt: number;
  /** Handover to the carrier (the warehouse cutoff), virtual ms. */
  shipDate: number;
  transitDays: number;
  deliverAt: number;
  /** The parcel ends in a delivery exception instead of being delivered. */
  failed: boolean;
  cancelledAt?: number;
  /** The shipper's own reference (an order id; never customer data). */
  reference?: string;
}

export type CancelResult = 'cancelled' | 'already_cancelled' | 'too_late';

/** In-memory shipments of one carrier, with ids drawn from the carrier's seed. */
export class ShipmentBook<T extends ShipmentRecord = ShipmentRecord> {
  #byId = new Map<string, T>();
  #byTracking = new Map<string, T>();
  #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  /** Hex digits from the seeded generator: ids are unique in a run and reproducible. */
  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.#random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  }

  digits(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.#random() * 10);
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  add(record: T): T {
    this.#byId.set(record.id, record);
    this.#byTracking.set(record.trackingNumber, record);
    return record;
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  byTracking(trackingNumber: string): T | undefined {
    return this.#byTracking.get(trackingNumber);
  }

  /** A parcel can be cancelled until the carrier picks it up at its ship date. */
  cancel(record: T, now: number): CancelResult {
    if (record.cancelledAt !== undefined) return 'already_cancelled';
    if (now >= Math.max(record.shipDate, record.createdAt)) return 'too_late';
    record.cancelledAt = now;
    return 'cancelled';
  }

  get size(): number {
    return this.#byId.size;
  }

  clear(): void {
    this.#byId.clear();
    this.#byTracking.clear();
  }
}
