import type { TrafficRecord } from './record.ts';

export interface LedgerCounts {
  /** Records the reader yielded (valid and quarantined). */
  read: number;
  /** Extra orders made from read ones (replay --multiply clones with new ids). */
  clones: number;
  sent: number;
  failed: number;
  quarantined: number;
  /** Read (or cloned) and not yet settled; 0 when the run is complete. */
  pending: number;
}

export interface Failure {
  orderId: string;
  reason: string;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

/**
 * The shared ledger of a run over a traffic file: every record read is settled exactly
 * once — sent, failed or quarantined — and `assertBalanced()` proves it at the end
 * (sent + failed + quarantined = read + clones). Settling an order id twice throws, so
 * a double send is a loud bug, not a silent miscount. Ids are remembered to do that
 * (about 100 bytes each); pass `trackIds: false` to count only.
 */
export class TrafficLedger {
  #read = 0;
  #clones = 0;
  #sent = 0;
  #failed = 0;
  #quarantined = 0;
  readonly #settled: Set<string> | undefined;
  readonly #failures: Failure[] = [];
  readonly #maxFailures: number;

  constructor(options: { trackIds?: boolean; maxFailuresKept?: number } = {}) {
    this.#settled = options.trackIds === false ? undefined : new Set();
    this.#maxFailures = options.maxFailuresKept ?? 1000;
  }

  /** Counts a record as read; a quarantined record is settled at once. */
  read(record?: TrafficRecord): void {
    this.#read += 1;
    if (record?.kind === 'quarantined') this.#quarantined += 1;
  }

  /** Counts orders created from a read one (clones with new ids), each to be settled. */
  cloned(count = 1): void {
    this.#clones += count;
  }

  /** Counts a quarantine that was not passed to read() (e.g. restored from a results file). */
  quarantined(count = 1): void {
    this.#quarantined += count;
  }

  sent(orderId: string): void {
    this.#settle(orderId, 'sent');
    this.#sent += 1;
  }

  failed(orderId: string, reason: string): void {
    this.#settle(orderId, 'failed');
    this.#failed += 1;
    if (this.#failures.length < this.#maxFailures) this.#failures.push({ orderId, reason });
  }

  /** True when this order id has been settled (sent or failed) in this run. */
  settled(orderId: string): boolean {
    return this.#settled?.has(orderId) ?? false;
  }

  get counts(): LedgerCounts {
    const settled = this.#sent + this.#failed + this.#quarantined;
    return {
      read: this.#read,
      clones: this.#clones,
      sent: this.#sent,
      failed: this.#failed,
      quarantined: this.#quarantined,
      pending: this.#read + this.#clones - settled,
    };
  }

  /** The first failures (up to maxFailuresKept), with their ids; ids are not PII. */
  get failures(): readonly Failure[] {
    return this.#failures;
  }

  get balanced(): boolean {
    return this.counts.pending === 0;
  }

  assertBalanced(): void {
    const c = this.counts;
    if (c.pending !== 0) {
      throw new LedgerError(
        `traffic ledger does not balance: sent ${c.sent} + failed ${c.failed} + quarantined ${c.quarantined} = ` +
          `${c.sent + c.failed + c.quarantined}, but read ${c.read}${c.clones ? ` + clones ${c.clones}` : ''} = ${c.read + c.clones}`,
      );
    }
  }

  toJSON(): LedgerCounts & { balanced: boolean } {
    return { ...this.counts, balanced: this.balanced };
  }

  #settle(orderId: string, as: 'sent' | 'failed'): void {
    if (!this.#settled) return;
    if (this.#settled.has(orderId)) throw new LedgerError(`order ${orderId} settled twice (again as ${as})`);
    this.#settled.add(orderId);
  }
}
