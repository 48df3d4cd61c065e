import type { OrderRef, OrderReport, PlatformAdapter } from '../platform/types.ts';
import type { LedgerCounts } from '../traffic/accounting.ts';
import type { QuarantinedRecord, TrafficRecord } from '../traffic/record.ts';
import type { LostOrder } from './reconcile.ts';

export interface ReplayOptions {
  /** The traffic to replay, one record per input line (see scenarios/traffic). */
  records: AsyncIterable<TrafficRecord>;
  /** Base URL of the platform under test. Must be on the allowlist. */
  target: string;
  /** How orders are sent and outcomes read (default: the built-in sandbox adapter). */
  platform?: PlatformAdapter;
  /** Hosts, IPs or CIDR ranges allowed in addition to loopback. */
  allowHosts?: readonly string[];
  /** The results file (`results.jsonl`), appended as outcomes happen. */
  resultsFile: string;
  /** Read `resultsFile` first and skip every order it records as sent. */
  resume?: boolean;
  /**
   * Virtual seconds replayed per real second: 1440 replays a day in a minute;
   * Infinity sends as fast as the concurrency cap allows. Default: the target clock's
   * speed (so orders arrive at their recorded virtual time), or 1 without a clock.
   */
  speed?: number;
  /** Integer ≥ 1: each recorded order is sent this many times, clones with derived ids. */
  multiply?: number;
  /** Most requests in flight at once (default DEFAULT_REPLAY_CONCURRENCY, 64). */
  concurrency?: number;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Attempts per order for retryable failures, same idempotency key (default 5). */
  maxAttempts?: number;
  /** Records held by the reorder buffer (default 1000). */
  reorderWindow?: number;
  /** Shift createdAt/promisedBy onto the target's virtual clock (default true). */
  shiftToTargetClock?: boolean;
  /** The same offset for every target of a run whose clocks agree (see SharedClockOffset). */
  sharedClockOffset?: import('./orders.ts').SharedClockOffset;
  /**
   * Look up orders that got no answer at all before calling them failed (default true):
   * a timeout or a reset after the platform took the order is not a failed order.
   */
  confirmUnanswered?: boolean;
  /** Poll the platform until every accepted order is settled (default true). */
  reconcile?: boolean;
  /** Bound on the reconciliation, ms (default 30 000). */
  settleTimeoutMs?: number;
  pollIntervalMs?: number;
  /** A name for this target in results and reports: `candidate`, `baseline`. */
  label?: string;
  /** Aborting behaves like a kill: nothing more is written, in-flight requests are dropped. */
  signal?: AbortSignal;
  onProgress?: (progress: ReplayProgress) => void;
  /** Called once per quarantined input line (the CLI writes the quarantine file from it). */
  onQuarantine?: (record: QuarantinedRecord, info: { resumed: boolean }) => void;
}

/** Input lines: each ends up exactly one of sent, failed, quarantined. */
export interface LineAccounting {
  read: number;
  /** Every order derived from the line was accepted by the platform. */
  sent: number;
  /** At least one order derived from the line was not accepted. */
  failed: number;
  quarantined: number;
  /** Lines released out of timestamp order (sent at once rather than reordered). */
  late: number;
  /** Lines whose outcome came from the results file of an earlier, interrupted run. */
  resumed: number;
}

export interface OrderAccounting {
  /** Requests started in this run (an order re-sent after a crash counts once here). */
  attempted: number;
  accepted: number;
  /** Accepted orders the platform said it had already seen (a same-key resend). */
  duplicates: number;
  failed: number;
  /** Orders that needed more than one attempt. */
  retried: number;
  /** Orders never answered (timeouts, resets) that a lookup found at the platform: accepted after all. */
  confirmed: number;
  /** Accepted orders that never reached a terminal state or vanished: lost ⊆ accepted. */
  lost: number;
}

export interface ReplayProgress {
  lines: LineAccounting;
  orders: OrderAccounting;
  inFlight: number;
  elapsedMs: number;
}

export interface FailedOrder {
  id: string;
  line: number;
  http: number;
  error: string;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ReplayResult {
  label: string;
  /** Origin only: never a path or query that could carry secrets. */
  target: string;
  aborted: boolean;
  /** read = sent + failed + quarantined (false only for an aborted run). */
  balanced: boolean;
  lines: LineAccounting;
  orders: OrderAccounting;
  /** The traffic ledger's order-level view: sent + failed + quarantined = read + clones. */
  ledger: LedgerCounts;
  lost: LostOrder[];
  failures: FailedOrder[];
  /** The first 1000 quarantined lines (all of them are in the quarantine file). */
  quarantined: Pick<QuarantinedRecord, 'line' | 'field' | 'reason'>[];
  /** Final order reports by order id, as reconciliation (or the answers) last saw them. */
  states: Map<string, OrderReport>;
  /** Every accepted order's id, key and platform id: what a later lookup needs. */
  refs: Map<string, OrderRef>;
  latencyMs: LatencySummary;
  schedule: {
    speed: number;
    multiply: number;
    concurrency: number;
    /** Virtual ms added to recorded timestamps (0 when the target has no clock). */
    clockOffsetMs: number;
    targetClock: boolean;
    /** How far behind schedule sends started: concurrency cap or a slow client. */
    lagMs: LatencySummary;
    sendDurationMs: number;
    reconcileDurationMs: number;
    /** Orders per second over the send phase. */
    throughput: number;
  };
  resultsFile: string;
}
