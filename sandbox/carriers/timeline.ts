import type { Region } from '../../contracts/domain/order.ts';
import type { TrackingStatus } from '../../contracts/domain/shipping.ts';
import { transitHub } from './geography.ts';
import type { ShipmentRecord } from './shipments.ts';

/**
 * The life of a parcel in virtual time, from which every carrier's tracking is computed:
 * label created → picked up at the ship date → hub scans → out for delivery → delivered
 * (or a delivery exception) at shipDate + the sampled transit. Each carrier names the
 * stages in its own vocabulary (data); the times are the same model for all.
 */
export interface StageCodes<Code extends string = string> {
  /** Codes at creation, one virtual minute apart (e.g. CREATED, ACCEPTED). */
  created: Code[];
  pickedUp: Code;
  /** Hub scans spread over the transit. */
  transit: Code[];
  outForDelivery: Code;
  delivered: Code;
  failed: Code;
  cancelled: Code;
}

export interface TimelineEvent<Code extends string = string> {
  code: Code;
  /** The carrier-neutral meaning, for the carrier's own status word. */
  status: TrackingStatus;
  at: number;
  region: Region;
}

const MINUTE_MS = 60_000;
const OUT_FOR_DELIVERY_MS = 5 * 3_600_000;

/** Events that have happened by virtual time `now`, oldest first. */
export function timeline<Code extends string>(
  record: ShipmentRecord,
  codes: StageCodes<Code>,
  now: number,
): TimelineEvent<Code>[] {
  const start = Math.max(record.shipDate, record.createdAt);
  const transitMs = Math.max(0, record.deliverAt - start);
  const hub = transitHub(record.from, record.to);
  const events: TimelineEvent<Code>[] = codes.created.map((code, i) => ({
    code,
    status: 'created',
    at: record.createdAt + i * MINUTE_MS,
    region: record.from,
  }));
  events.push({ code: codes.pickedUp, status: 'picked_up', at: start, region: record.from });
  codes.transit.forEach((code, i) => {
    const share = (0.8 * (i + 1)) / (codes.transit.length + 1);
    events.push({
      code,
      status: 'in_transit',
      at: start + share * transitMs,
      region: i === 0 ? record.from : hub,
    });
  });
  if (record.failed) {
    events.push({ code: codes.failed, status: 'exception', at: record.deliverAt, region: record.to });
  } else {
    const outAt = record.deliverAt - Math.min(OUT_FOR_DELIVERY_MS, 0.2 * transitMs);
    events.push({ code: codes.outForDelivery, status: 'out_for_delivery', at: outAt, region: record.to });
    events.push({ code: codes.delivered, status: 'delivered', at: record.deliverAt, region: record.to });
  }
  const cancelledAt = record.cancelledAt;
  const happened = events.filter(
    (event) => event.at <= now && (cancelledAt === undefined || event.at < cancelledAt),
  );
  if (cancelledAt !== undefined && cancelledAt <= now) {
    happened.push({ code: codes.cancelled, status: 'cancelled', at: cancelledAt, region: record.from });
  }
  return happened.sort((a, b) => a.at - b.at);
}

export function lastEvent<T>(events: T[]): T | undefined {
  return events[events.length - 1];
}
