/**
 * Streams the elements of a HAR document's `log.entries` array without parsing (or
 * holding) the document: a byte-level scanner tracks JSON structure — nesting, strings,
 * escapes and the key each container was opened under — and hands back each entry's
 * bytes as soon as its closing brace arrives. Only one entry is held at a time, up to
 * `maxEntryBytes`. Hand-written because a streaming JSON parser (stream-json, clarinet)
 * would be a dependency for this one path; structural JSON characters are ASCII and
 * never occur inside multi-byte UTF-8 sequences, so scanning bytes is safe.
 *
 * Lenient by design: syntax outside the entries is not validated (a HAR is read for its
 * entries); each entry is parsed strictly by the caller.
 */

export type ScannedEntry =
  | { index: number; kind: 'entry'; text: string }
  | { index: number; kind: 'oversized'; head: string }
  | { index: number; kind: 'truncated'; head: string };

export interface ScanResult {
  /** False when no `log.entries` array was found in the whole document. */
  foundEntries: boolean;
}

const OPEN_OBJ = 0x7b; // {
const CLOSE_OBJ = 0x7d; // }
const OPEN_ARR = 0x5b; // [
const CLOSE_ARR = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const HEAD = 4096;
const MAX_DEPTH = 10_000;

interface Frame {
  array: boolean;
  key: string | undefined;
}

export async function* scanHarEntries(
  source: AsyncIterable<Uint8Array>,
  { maxEntryBytes = 64 * 1024 * 1024 }: { maxEntryBytes?: number } = {},
  result: ScanResult = { foundEntries: false },
): AsyncGenerator<ScannedEntry> {
  const stack: Frame[] = [];
  let inString = false;
  let escaped = false;
  let expectKey = false;
  let keyBytes: number[] | undefined;
  let lastKey: string | undefined;
  let pendingKey: string | undefined;
  // Capture of the current entry: parts of chunks, or just a head once oversized.
  let capturing = false;
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let index = 0;
  let bom = true;

  const inEntries = () =>
    stack.length === 3 &&
    !stack[0]!.array &&
    !stack[1]!.array &&
    stack[1]!.key === 'log' &&
    stack[2]!.array &&
    stack[2]!.key === 'entries';

  const take = (chunk: Buffer, from: number, to: number) => {
    if (to <= from) return;
    if (!oversized && size + (to - from) > maxEntryBytes) {
      oversized = true;
      parts = [Buffer.concat(parts).subarray(0, HEAD)];
    }
    if (oversized) {
      if (size < HEAD) parts.push(Buffer.from(chunk.subarray(from, Math.min(to, from + HEAD - size))));
    } else {
      parts.push(Buffer.from(chunk.subarray(from, to)));
    }
    size += to - from;
  };

  for await (const raw of source) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (bom && chunk.length > 0) {
      bom = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    let captureFrom = capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (keyBytes) {
            lastKey = Buffer.from(keyBytes).toString('latin1');
            keyBytes = undefined;
          }
        } else if (keyBytes && keyBytes.length < 32) keyBytes.push(byte);
        continue;
      }
      switch (byte) {
        case QUOTE:
          inString = true;
          keyBytes = expectKey ? [] : undefined;
          break;
        case COLON:
          if (expectKey) {
            pendingKey = lastKey;
            expectKey = false;
          }
          break;
        case COMMA: {
          const top = stack[stack.length - 1];
          if (top && !top.array) expectKey = true;
          break;
        }
        case OPEN_OBJ:
        case OPEN_ARR: {
          const parent = stack[stack.length - 1];
          if (!capturing && byte === OPEN_OBJ && inEntries()) {
            capturing = true;
            captureFrom = i;
            parts = [];
            size = 0;
            oversized = false;
          }
          if (stack.length >= MAX_DEPTH) throw new RangeError(`HAR nesting deeper than ${MAX_DEPTH}`);
          stack.push({ array: byte === OPEN_ARR, key: parent && !parent.array ? pendingKey : undefined });
          if (byte === OPEN_ARR && inEntries()) result.foundEntries = true;
          pendingKey = undefined;
          expectKey = byte === OPEN_OBJ;
          break;
        }
        case CLOSE_OBJ:
        case CLOSE_ARR: {
          stack.pop();
          expectKey = false;
          if (capturing && byte === CLOSE_OBJ && inEntries()) {
            take(chunk, captureFrom, i + 1);
            capturing = false;
            captureFrom = -1;
            index += 1;
            const bytes = Buffer.concat(parts);
            parts = [];
            yield oversized
              ? { index, kind: 'oversized', head: bytes.toString('utf8') }
              : { index, kind: 'entry', text: bytes.toString('utf8') };
          }
          break;
        }
        default:
          break;
      }
    }
    if (capturing) take(chunk, captureFrom, chunk.length);
  }
  if (capturing) {
    index += 1;
    yield { index, kind: 'truncated', head: Buffer.concat(parts).subarray(0, HEAD).toString('utf8') };
  }
}
