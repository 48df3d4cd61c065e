/**
 * One recorded HTTP request, as raw replay reads it from a HAR entry or a GoReplay
 * payload: no order model, only what goes on the wire. Readers yield exactly one
 * record per recorded request (a HAR entry, a GoReplay request payload), either a
 * request to send or a quarantined one with its reason, so "sent + failed +
 * quarantined = read" can be checked by counting.
 */
export type RawRecord = RawRequest | RawQuarantined;

export interface RawRequest {
  kind: 'request';
  /** Stable id of the record within its file: `entry-12` (HAR) or the GoReplay request id. */
  id: string;
  /** Where it starts: the HAR entry's 1-based index, or the GoReplay payload's first line. */
  line: number;
  method: string;
  /** Path and query as recorded (`/fulfilment/requests/shop-1?x=1`), never scheme or host. */
  path: string;
  /** Recorded headers in order; hop-by-hop and credential rules are applied when sending. */
  headers: [string, string][];
  body?: Buffer;
  /** When it was recorded, epoch ms (HAR startedDateTime, GoReplay timestamp). */
  at: number;
}

/** Why a raw record was set aside; stable strings, for grouping in reports. */
export type RawQuarantineCode =
  | 'har-entry'
  | 'truncated'
  | 'too-long'
  | 'gor-payload'
  | 'http-request'
  | 'unsupported-method';

export interface RawQuarantined {
  kind: 'quarantined';
  line: number;
  /** The part at fault: `request.url`, `(entry)`, `(header line)`, `(request line)`. */
  field: string;
  code: RawQuarantineCode;
  /** Never holds recorded values (a URL or body can carry PII): safe to log. */
  reason: string;
}

/** What a reader saw besides its records. */
export interface RawReaderStats {
  /** Records yielded (requests and quarantined). */
  records: number;
  /** GoReplay response payloads (types 2 and 3): recorded answers, not requests to send. */
  responses: number;
}

export type RawFormat = 'har' | 'gor';
export const RAW_FORMATS: readonly RawFormat[] = ['har', 'gor'];

/** Methods raw replay sends; anything else (CONNECT, a typo) is quarantined. */
export const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** RFC 9110 §9.2.2: resending one of these cannot change the outcome (safe to resend on resume). */
export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export function quarantined(
  line: number,
  code: RawQuarantineCode,
  field: string,
  reason: string,
): RawQuarantined {
  return { kind: 'quarantined', line, code, field, reason };
}
