import type { Order } from '../../contracts/domain/order.ts';

/**
 * A platform adapter: the one place where shipgate's order meets a platform's own API.
 * The replayer, the diff, the load scenarios and the k6 export speak only this
 * interface; the sandbox's API is one adapter among others (./sandbox.ts), a
 * declarative adapter in the config is compiled to one (./declarative.ts), and a
 * TypeScript module exports one through `definePlatform` (./define.ts).
 *
 * An adapter only describes: requests as data, answers read into verdicts. It never
 * opens a connection itself, so timeouts, retries with the same idempotency, the
 * traceparent header, the allowlist, the ledger and resume stay shipgate's, the same
 * for every platform (./http.ts sends what the adapter describes).
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One request to the platform, relative to the target's origin. */
export interface PlatformRequest {
  method: HttpMethod;
  /** Path and query from the target's origin, e.g. `/v1/orders` (already URL-encoded). */
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string (sent as it is); none for `undefined`. */
  body?: unknown;
}

/** The platform's answer, as an adapter reads it. */
export interface PlatformAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  /** Real milliseconds from sending the request to the end of the answer. */
  latencyMs: number;
}

/** What the replay knows when it builds a request for one order. */
export interface SubmitContext {
  /** The order's idempotency key: the same on every attempt and on resume (see `key`). */
  key: string;
  /** Which target of the run the request goes to: `candidate`, `baseline`, `second-baseline`… */
  target: string;
  /** 1 for a first send; a retry (same key) counts up. */
  attempt: number;
}

/** Values a field of a settled order can take once read: what the diff compares. */
export type Scalar = string | number | boolean | null;

/**
 * What the platform says became of one order, read from its answer or a later
 * lookup. The named properties are the ones every layer understands (the scenarios'
 * SLOs, the replay's processing summary); `fields` holds everything read, flat, and
 * the diff compares the decision fields named in `decisions.fields` from it.
 */
export interface OrderReport {
  /** shipgate's order id (a replay clone's id for clones). */
  orderId: string;
  /** The platform's own status word: `shipped`, `handed-over`, `delivered`… */
  status: string;
  /** The platform has decided (carrier, promise…): a replay stops polling this order. */
  settled: boolean;
  /** Nothing about the order will change any more (delivered, cancelled): a load scenario stops polling. */
  final: boolean;
  /** `shipped` when the platform processed the order; otherwise why not (`no_carrier`, `out_of_stock`, `error`…). */
  outcome?: string;
  /** The platform's own id for the order (a ticket, a shipment number). */
  platformId?: string;
  carrier?: string;
  service?: string;
  /** The promise the platform made: an ISO date-time or date. */
  promisedBy?: string;
  delivered?: boolean;
  /** Only when the platform says so (delivered on or before its promise). */
  onTime?: boolean;
  /** Processing time the platform reports, real ms; else scenarios use the answer's latency. */
  processingMs?: number;
  /** Every field read, flat (names are the adapter's): the diff's decision fields and grouping attributes. */
  fields: Record<string, Scalar>;
}

/** How the answer to a submission is read. */
export type SubmitReading =
  /** The platform has the order. `report` when the answer already holds its decision. */
  | { kind: 'accepted'; platformId?: string; duplicate?: boolean; report?: OrderReport }
  /** A final no: sending again would change nothing (invalid, out of stock…). Never retried. */
  | { kind: 'refused'; reason: string }
  /** Worth another attempt with the same idempotency key (shed, rate limited, briefly down). */
  | { kind: 'retryable'; reason: string };

/** An order known to the run: what a lookup may need. */
export interface OrderRef {
  /** shipgate's order id. */
  id: string;
  /** Its idempotency key (see SubmitContext). */
  key: string;
  /** The platform's id, once its answer gave one. */
  platformId?: string;
}

/** What a lookup of one order found. */
export type OrderReading =
  | { kind: 'found'; report: OrderReport }
  /** The platform has no record of it. */
  | { kind: 'missing' }
  /** The answer said nothing either way (an error status): asked again next round. */
  | { kind: 'unknown'; reason: string };

/**
 * How the outcome is read after the answer:
 * - `poll`: one request per order (a status path), until its report is settled;
 * - `batch`: one request for many orders (the sandbox's `POST /v1/orders/lookup`);
 * - `answer`: nothing to read later, the submission's answer is final (its `report`).
 */
export type OutcomeReader =
  | {
      kind: 'poll';
      /** The status request, or undefined when this order cannot be looked up (no platform id yet). */
      request(ref: OrderRef): PlatformRequest | undefined;
      read(answer: PlatformAnswer, ref: OrderRef): OrderReading | Promise<OrderReading>;
      /** Requests in flight at once while polling (default 16). */
      concurrency?: number;
    }
  | {
      kind: 'batch';
      /** Most orders per request. */
      maxBatch: number;
      request(refs: readonly OrderRef[]): PlatformRequest | Promise<PlatformRequest>;
      /** One reading per ref, in any order; a ref left out counts as `unknown`. */
      read(
        answer: PlatformAnswer,
        refs: readonly OrderRef[],
      ): Map<string, OrderReading> | Promise<Map<string, OrderReading>>;
    }
  | { kind: 'answer' };

/**
 * How a resend of the same order is recognised by the platform:
 * - `header`: shipgate sets `header` to the order's key on every attempt;
 * - `path`: the key is in the request path (the adapter's `submit` puts it there);
 * - `body`: the key is in the body (likewise);
 * - `none`: the platform cannot tell, so a request that may have landed is never re-sent.
 */
export type Idempotency =
  | { kind: 'header'; header: string }
  | { kind: 'path' }
  | { kind: 'body' }
  | { kind: 'none' };

/** The platform's clock, when it runs one of its own (virtual time); real time otherwise. */
export interface ClockReading {
  /** The platform's current time, ISO date-time. */
  now: string;
  /** Platform seconds per real second (1 for real time). */
  speed: number;
}

export interface ClockReader {
  request(): PlatformRequest;
  /** Undefined when the answer is not a clock (the platform has none after all). */
  read(answer: PlatformAnswer): ClockReading | undefined | Promise<ClockReading | undefined>;
}

/** What the diff compares and how it groups differences. */
export interface DecisionFields {
  /**
   * The fields of `OrderReport.fields` that are decisions (carrier, service, promise,
   * status…). Undefined: every field read, less ids and times that differ by construction.
   */
  fields?: readonly string[];
  /** Attributes differences are grouped by ("all in area CQ"): fields of the baseline's report. */
  groupBy: readonly string[];
}

export interface PlatformAdapter {
  /** A short name for reports and errors (`sandbox`, `kestrel`). */
  readonly name: string;
  readonly idempotency: Idempotency;
  /** The order's idempotency key on this target (default: the order id). Stable across attempts and runs. */
  key?(order: Order, target: string): string | Promise<string>;
  /** How an order becomes the intake request. */
  submit(order: Order, context: SubmitContext): PlatformRequest | Promise<PlatformRequest>;
  /** How the intake's answer is read. Network errors never reach it: shipgate handles them. */
  readSubmit(
    answer: PlatformAnswer,
    order: Order,
    context: SubmitContext,
  ): SubmitReading | Promise<SubmitReading>;
  readonly outcome: OutcomeReader;
  /**
   * The intake statuses that mean "accepted", for a runner that cannot call `readSubmit`
   * (a k6 script); absent: any 2xx. Replay and scenarios always go by `readSubmit`.
   */
  readonly acceptedStatuses?: readonly number[];
  /** The platform's clock, if it has one; real time otherwise. */
  readonly clock?: ClockReader;
  readonly decisions: DecisionFields;
}
