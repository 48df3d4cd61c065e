import { createHash } from 'node:crypto';
import type { Order } from '../../contracts/domain/order.ts';

/**
 * Deriving replayed orders from recorded ones: clones for `--multiply` and the shift of
 * timestamps onto the target's virtual clock. Pure and deterministic, so a resumed run
 * and a baseline run derive exactly the same ids as the first candidate run.
 */

const MAX_ID_LENGTH = 64;

/**
 * Clone k (1-based; k = 0 is the recorded order itself) of order `id`: `<id>:x<k>`.
 * `:` rather than the `~` one might expect because the order schema allows only
 * `[A-Za-z0-9._:-]`. Ids too long to take the suffix keep a hash of the full id so two
 * long ids sharing a prefix cannot collide.
 */
export function cloneId(id: string, k: number): string {
  if (k === 0) return id;
  const suffix = `:x${k}`;
  if (id.length + suffix.length <= MAX_ID_LENGTH) return id + suffix;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.slice(0, MAX_ID_LENGTH - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

/** Shifts createdAt and promisedBy by the same offset, so the promise keeps its meaning. */
export function shiftOrder(order: Order, id: string, offsetMs: number): Order {
  if (offsetMs === 0 && id === order.id) return order;
  return {
    ...order,
    id,
    createdAt: shiftIso(order.createdAt, offsetMs),
    promisedBy: shiftIso(order.promisedBy, offsetMs),
  };
}

/**
 * One clock offset for every target of a run. Each target's offset is estimated from
 * its own clock read, and the estimate carries that read's latency times the clock's
 * speed: under CPU load half a second at 1440× is 12 virtual minutes, so the candidate
 * and the baseline would get the same order with different createdAt and promisedBy —
 * different promises to rate-shop against, different slack — and the diff would call
 * that a changed decision. Targets whose estimates agree within `toleranceMs` (the
 * same world clock, or two clocks started close together) share the first estimate,
 * so the same order carries the same timestamps to both builds; a target on another
 * clock altogether keeps its own.
 */
export class SharedClockOffset {
  #value: number | undefined;
  constructor(private readonly toleranceMs = 86_400_000) {}

  /** The offset this target uses, given its own estimate. */
  resolve(ownMs: number): number {
    if (this.#value === undefined) this.#value = ownMs;
    return Math.abs(ownMs - this.#value) <= this.toleranceMs ? this.#value : ownMs;
  }
}

function shiftIso(iso: string, offsetMs: number): string {
  return new Date(Date.parse(iso) + offsetMs).toISOString();
}
