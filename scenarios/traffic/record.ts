import type { Order } from '../../contracts/domain/order.ts';

/**
 * One record read from a traffic file: an order to send, or a line set aside with its
 * reason. Readers yield exactly one record per input record (line of JSONL/CSV, entry
 * of HAR), so "sent + failed + quarantined = read" can be checked by counting.
 */
export type TrafficRecord = ValidRecord | QuarantinedRecord;

export interface ValidRecord {
  kind: 'order';
  /** 1-based line number in the input file (HAR: the entry's index). */
  line: number;
  order: Order;
}

export interface QuarantinedRecord {
  kind: 'quarantined';
  line: number;
  /** The field at fault (dotted path), or `(line)` when the line as a whole is bad. */
  field: string;
  reason: string;
}

export type TrafficFormat = 'jsonl' | 'csv' | 'har';
