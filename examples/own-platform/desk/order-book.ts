import { createHash } from 'node:crypto';
import type { Parcel } from './journey.ts';

/**
 * The order book both builds write to (their shared database, in a real deployment).
 *
 * Idempotency is by the client's reference in the path: the first PUT of a reference
 * creates the parcel; the same body again gets the first answer back (200, nothing new);
 * a different body under a used reference is a conflict (409). Only a creation is
 * remembered: a refusal or a failure leaves the reference free for a retry. Concurrent
 * PUTs of one reference share the first one's work.
 */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export type Outcome =
  | { kind: 'fresh'; answer: Answer }
  | { kind: 'repeat'; answer: Answer }
  | { kind: 'conflict' };

interface Claim {
  fingerprint: string;
  answer: Promise<Answer>;
}

export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/** JSON with object keys sorted, so key order in a request does not make it "different". */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class OrderBook {
  readonly #claims = new Map<string, Claim>();
  readonly #parcels = new Map<string, Parcel>();
  #issued = 0;

  async once(clientRef: string, fingerprint: string, work: () => Promise<Answer>): Promise<Outcome> {
    const claim = this.#claims.get(clientRef);
    if (claim) {
      if (claim.fingerprint !== fingerprint) return { kind: 'conflict' };
      const answer = await claim.answer;
      // A concurrent twin whose first attempt was refused gets that refusal, not a replay.
      return answer.status === 201 ? { kind: 'repeat', answer } : { kind: 'fresh', answer };
    }
    const answer = work().catch((error: unknown) => {
      this.#claims.delete(clientRef);
      throw error;
    });
    this.#claims.set(clientRef, { fingerprint, answer });
    const settled = await answer;
    if (settled.status !== 201) this.#claims.delete(clientRef);
    return { kind: 'fresh', answer: settled };
  }

  nextTicket(): string {
    this.#issued += 1;
    return `FT-${String(this.#issued).padStart(7, '0')}`;
  }

  keep(parcel: Parcel): void {
    this.#parcels.set(parcel.ticket, parcel);
  }

  find(ticket: string): Parcel | undefined {
    return this.#parcels.get(ticket);
  }

  parcels(): IterableIterator<Parcel> {
    return this.#parcels.values();
  }
}
