import { shipgateError } from '../../core/errors.ts';
import { parseHttpRequest } from './http-message.ts';
import { quarantined, type RawReaderStats, type RawRecord } from './record.ts';

/**
 * GoReplay's file format (`gor --output-file requests.gor`), streamed: payloads separated
 * by the line `🐵🙈🙉`, each a header line `<type> <id> <timestamp-ns>[ <latency>]` and
 * the raw HTTP/1.1 message. Type 1 is a request (a record); types 2 and 3 are the
 * original and the replayed response, counted (`stats.responses`) and not sent. `line`
 * is the line of the file the payload starts on. A payload larger than
 * `maxPayloadBytes` is quarantined without being held; text after the last separator
 * is the last payload, and one cut off there is quarantined as truncated.
 */
export const GOR_SEPARATOR = '\n🐵🙈🙉\n';
const SEPARATOR = Buffer.from(GOR_SEPARATOR, 'utf8');
export const DEFAULT_MAX_GOR_PAYLOAD_BYTES = 64 * 1024 * 1024;

export async function* readGor(
  source: AsyncIterable<Uint8Array>,
  file: string,
  stats: RawReaderStats,
  { maxPayloadBytes = DEFAULT_MAX_GOR_PAYLOAD_BYTES }: { maxPayloadBytes?: number } = {},
): AsyncGenerator<RawRecord> {
  let pending = Buffer.alloc(0);
  let oversized = false;
  let line = 1; // where the pending payload starts
  let dropped = 0; // newlines of an oversized payload not held
  const seen = new Set<string>();
  let separators = 0;

  const finish = (payload: Buffer, last: boolean): RawRecord | undefined => {
    const startLine = line;
    // The separator holds two newlines: the next payload starts two lines after this one ends.
    line += dropped + countNewlines(payload) + (last ? 0 : 2);
    dropped = 0;
    if (oversized) {
      oversized = false;
      stats.records += 1;
      return quarantined(
        startLine,
        'too-long',
        '(payload)',
        'GoReplay payload larger than the payload limit',
      );
    }
    if (payload.toString('latin1').trim() === '') return undefined;
    return fromPayload(payload, startLine, last, seen, stats);
  };

  for await (const raw of source) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
    for (;;) {
      const at = pending.indexOf(SEPARATOR);
      if (at < 0) break;
      separators += 1;
      const record = finish(pending.subarray(0, at), false);
      pending = pending.subarray(at + SEPARATOR.length);
      if (record) yield record;
    }
    if (pending.length > maxPayloadBytes) {
      // Keep only what could be the start of a separator; count the lines dropped.
      const keep = SEPARATOR.length - 1;
      dropped += countNewlines(pending.subarray(0, pending.length - keep));
      oversized = true;
      pending = Buffer.from(pending.subarray(pending.length - keep));
    }
  }
  // GoReplay ends every payload with the separator: a file with none is not its format.
  if (separators === 0)
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: '(file)',
      problem: 'no GoReplay payload separator found (payloads are separated by the line 🐵🙈🙉)',
    });
  const tail = finish(pending, true);
  if (tail) yield tail;
}

function fromPayload(
  payload: Buffer,
  line: number,
  last: boolean,
  seen: Set<string>,
  stats: RawReaderStats,
): RawRecord | undefined {
  // A payload is preceded by the separator's newline; a file may start with a blank line.
  let start = 0;
  while (payload[start] === 0x0a || payload[start] === 0x0d) {
    if (payload[start] === 0x0a) line += 1;
    start += 1;
  }
  const eol = payload.indexOf(0x0a, start);
  const header = payload
    .subarray(start, eol < 0 ? payload.length : eol)
    .toString('latin1')
    .trim();
  const fields = header.split(' ');
  const [type, id, timestamp] = fields;
  if (type === '2' || type === '3') {
    stats.responses += 1;
    return undefined;
  }
  stats.records += 1;
  if (type !== '1' || fields.length < 3 || fields.length > 4 || !id || !/^\d+$/.test(timestamp ?? ''))
    return quarantined(
      line,
      'gor-payload',
      '(header line)',
      'expected "<type 1|2|3> <id> <timestamp-ns> [latency]"',
    );
  if (seen.has(id)) return quarantined(line, 'gor-payload', '(header line)', 'request id seen before');
  seen.add(id);
  if (eol < 0) return quarantined(line, 'truncated', '(payload)', 'payload has a header line and no request');
  const parsed = parseHttpRequest(payload.subarray(eol + 1), line + 1);
  if ('kind' in parsed) {
    // The last payload has no separator after it: if it does not parse, it was cut off.
    if (last && parsed.code !== 'unsupported-method')
      return quarantined(line, 'truncated', '(payload)', `cut off by the end of the file (${parsed.reason})`);
    return parsed;
  }
  return {
    kind: 'request',
    id,
    line,
    ...parsed,
    at: Number(BigInt(timestamp!) / 1_000_000n),
  };
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let i = buffer.indexOf(0x0a); i >= 0; i = buffer.indexOf(0x0a, i + 1)) count += 1;
  return count;
}
