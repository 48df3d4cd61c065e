/**
 * Splits a byte stream into lines without holding more than one line (bounded by
 * `maxLineBytes`) in memory. Hand-written rather than node:readline because readline
 * hides what the quarantine must report: whether a line ended in CRLF, whether the
 * last line was terminated, whether the file began with a BOM, and it buffers a line
 * of any length (a hostile file could be one 4 GB line).
 */

export interface RawLine {
  /** 1-based. */
  line: number;
  /** Decoded text without the terminator, CR or BOM; undefined when not valid UTF-8 or too long. */
  text: string | undefined;
  /** True when the line ended in "\n" (false only for a last line without a newline). */
  terminated: boolean;
  crlf: boolean;
  bom: boolean;
  /** The line exceeded maxLineBytes; its bytes were dropped up to the next newline. */
  tooLong: boolean;
  invalidUtf8: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

export async function* splitLines(
  source: AsyncIterable<Uint8Array | string>,
  { maxLineBytes = DEFAULT_MAX_LINE_BYTES }: { maxLineBytes?: number } = {},
): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;

  const emit = (terminated: boolean): RawLine => {
    line += 1;
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    const wasTooLong = tooLong;
    tooLong = false;
    let crlf = false;
    let bom = false;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) {
      crlf = true;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bom = true;
      bytes = bytes.subarray(3);
    }
    if (wasTooLong)
      return { line, text: undefined, terminated, crlf, bom, tooLong: true, invalidUtf8: false };
    try {
      return { line, text: decoder.decode(bytes), terminated, crlf, bom, tooLong: false, invalidUtf8: false };
    } catch {
      return { line, text: undefined, terminated, crlf, bom, tooLong: false, invalidUtf8: true };
    }
  };

  for await (const chunk of source) {
    let buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const at = buffer.indexOf(NEWLINE);
      const piece = at === -1 ? buffer : buffer.subarray(0, at);
      if (!tooLong) {
        if (size + piece.length > maxLineBytes) {
          tooLong = true;
          parts = [];
          size = 0;
        } else if (piece.length > 0) {
          // Copy: the stream may reuse its chunk buffers.
          parts.push(Buffer.from(piece));
          size += piece.length;
        }
      }
      if (at === -1) break;
      yield emit(true);
      buffer = buffer.subarray(at + 1);
    }
  }
  // A final line without a newline; an empty tail after the last "\n" is no line at all.
  if (size > 0 || tooLong) yield emit(false);
}
