import type { Order } from '../../contracts/domain/order.ts';

/**
 * One record read from a traffic file: an order to send, or a line set aside with its
 * reason. Readers yield exactly one record per input record (line of JSONL/CSV, entry
 * of HAR), so "sent + failed + quarantined = read" can be checked by counting.
 */
export type TrafficRecord = ValidRecord | QuarantinedRecord;

/** Input quirks a reader repaired rather than rejected; reported, never silent. */
export type Normalisation = 'bom' | 'crlf';

export interface ValidRecord {
  kind: 'order';
  /** 1-based line number in the input file (CSV: the line the record starts on; HAR: the entry's index). */
  line: number;
  order: Order;
  /** Present when the reader stripped a BOM or a CR from this line before accepting it. */
  normalised?: Normalisation[];
}

/** Why a record was set aside; stable strings, for grouping in reports. */
export type QuarantineCode =
  | 'blank-line'
  | 'malformed-json'
  | 'truncated'
  | 'invalid-field'
  | 'duplicate-id'
  | 'too-long'
  | 'encoding'
  | 'csv-row'
  | 'har-entry'
  // raw replay (scenarios/raw): a GoReplay payload or HTTP message that cannot be sent
  | 'gor-payload'
  | 'http-request'
  | 'unsupported-method';

export interface QuarantinedRecord {
  kind: 'quarantined';
  line: number;
  /** The field at fault (dotted path), or `(line)` when the line as a whole is bad. */
  field: string;
  code: QuarantineCode;
  /** Human-readable reason; never holds input values, so it is safe to log. */
  reason: string;
  /**
   * A short excerpt of the input with every string value masked except known non-PII
   * fields (id, sku, serviceLevel, ...): enough to find the line, never its PII.
   */
  excerpt?: string;
}

export type TrafficFormat = 'jsonl' | 'csv' | 'har';
export const TRAFFIC_FORMATS: readonly TrafficFormat[] = ['jsonl', 'csv', 'har'];
