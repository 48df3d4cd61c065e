import { METHODS, quarantined, type RawQuarantined } from './record.ts';

/**
 * An HTTP/1.x request message as captured on the wire (GoReplay's payloads): request
 * line, header lines, blank line, body. A chunked body is decoded (the replay sends it
 * with its own framing); a body shorter than its Content-Length was cut off by the
 * capture and is quarantined rather than sent short.
 */
export interface ParsedRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const LF2 = Buffer.from('\n\n');

export function parseHttpRequest(message: Buffer, line: number): ParsedRequest | RawQuarantined {
  const crlf = message.indexOf(CRLF2);
  const lf = message.indexOf(LF2);
  const [end, gap] =
    crlf >= 0 && (lf < 0 || crlf <= lf) ? [crlf, CRLF2.length] : lf >= 0 ? [lf, LF2.length] : [-1, 0];
  // A GET with no body may end right after its last header line.
  const head = (end >= 0 ? message.subarray(0, end) : message).toString('latin1');
  const rest = end >= 0 ? message.subarray(end + gap) : Buffer.alloc(0);
  const lines = head.split(/\r?\n/);
  const requestLine = /^([A-Za-z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (!requestLine)
    return quarantined(line, 'http-request', '(request line)', 'not an HTTP/1.x request line');
  const method = requestLine[1]!.toUpperCase();
  if (!METHODS.has(method))
    return quarantined(line, 'unsupported-method', '(request line)', `method ${method} is not replayed`);
  const path = pathOf(requestLine[2]!);
  if (path === undefined)
    return quarantined(line, 'http-request', '(request line)', 'the request target is not a path or URL');
  const headers: [string, string][] = [];
  for (const [i, text] of lines.slice(1).entries()) {
    if (text === '') continue;
    const colon = text.indexOf(':');
    if (colon <= 0)
      return quarantined(line + 1 + i, 'http-request', '(header line)', 'a header line without a name');
    headers.push([text.slice(0, colon).trim(), text.slice(colon + 1).trim()]);
  }
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  let body: Buffer = rest;
  if (/\bchunked\b/i.test(header('transfer-encoding') ?? '')) {
    const decoded = dechunk(rest);
    if (!decoded) return quarantined(line, 'truncated', '(body)', 'chunked body cut off or malformed');
    body = decoded;
  } else if (header('content-length') !== undefined) {
    const length = Number(header('content-length'));
    if (!Number.isInteger(length) || length < 0)
      return quarantined(line, 'http-request', 'Content-Length', 'not a whole number');
    if (rest.length < length)
      return quarantined(
        line,
        'truncated',
        '(body)',
        `body has ${rest.length} of its ${length} bytes: cut off by the capture`,
      );
    body = rest.subarray(0, length);
  }
  return { method, path, headers, ...(body.length > 0 ? { body: Buffer.from(body) } : {}) };
}

function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target); // absolute-form, as sent to a proxy
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = eol + 2;
    if (data.length < start + size) return undefined;
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
  return undefined;
}
