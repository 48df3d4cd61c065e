import { shipgateError } from '../../core/errors.ts';
import { scanHarEntries } from '../traffic/har-scan.ts';
import { METHODS, quarantined, type RawReaderStats, type RawRecord } from './record.ts';

/**
 * HAR 1.2 entries as raw requests, streamed (scenarios/traffic/har-scan.ts hands over one
 * entry of `log.entries` at a time, so memory is bounded by the largest entry). Unlike
 * the order reader, every entry is a record: raw replay sends what was recorded,
 * whatever its path. `line` is the entry's 1-based index in `log.entries`.
 *
 * Taken from each entry: `request.method`, the path and query of `request.url` (the
 * recorded host is replaced by the target's), `request.headers` (HTTP/2 pseudo-headers
 * such as `:authority` dropped), `request.postData.text` (base64 when
 * `encoding: "base64"`, or `params` form-encoded when there is no text) and
 * `startedDateTime` for the schedule. The recorded response is not used: the baseline
 * answers again, now.
 */
export const DEFAULT_MAX_RAW_ENTRY_BYTES = 64 * 1024 * 1024;

interface HarRequest {
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  postData?: { text?: unknown; encoding?: unknown; params?: unknown };
}

export async function* readRawHar(
  source: AsyncIterable<Uint8Array>,
  file: string,
  stats: RawReaderStats,
  options: { maxEntryBytes?: number } = {},
): AsyncGenerator<RawRecord> {
  const scan = { foundEntries: false };
  const entries = scanHarEntries(
    source,
    { maxEntryBytes: options.maxEntryBytes ?? DEFAULT_MAX_RAW_ENTRY_BYTES },
    scan,
  );
  try {
    for await (const scanned of entries) {
      stats.records += 1;
      const line = scanned.index;
      if (scanned.kind === 'truncated') {
        yield quarantined(line, 'truncated', '(entry)', 'HAR entry cut off by the end of the file');
        continue;
      }
      if (scanned.kind === 'oversized') {
        yield quarantined(line, 'too-long', '(entry)', 'HAR entry larger than the entry limit');
        continue;
      }
      let entry: { startedDateTime?: unknown; request?: HarRequest };
      try {
        entry = JSON.parse(scanned.text);
      } catch {
        yield quarantined(line, 'har-entry', '(entry)', 'HAR entry is not valid JSON');
        continue;
      }
      yield fromEntry(entry, line);
    }
  } catch (error) {
    if (error instanceof RangeError)
      throw shipgateError('SG_INPUT_INVALID', { file, line: 1, field: '(file)', problem: error.message });
    throw error;
  }
  if (!scan.foundEntries)
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: 'log.entries',
      problem: 'no log.entries array found: not a HAR file',
    });
}

function fromEntry(entry: { startedDateTime?: unknown; request?: HarRequest }, line: number): RawRecord {
  const request = entry?.request;
  if (typeof request !== 'object' || request === null)
    return quarantined(line, 'har-entry', 'request', 'entry has no request object');
  if (typeof request.method !== 'string' || request.method === '')
    return quarantined(line, 'har-entry', 'request.method', 'missing or not a string');
  const method = request.method.toUpperCase();
  if (!METHODS.has(method))
    return quarantined(line, 'unsupported-method', 'request.method', `method ${method} is not replayed`);
  if (typeof request.url !== 'string')
    return quarantined(line, 'har-entry', 'request.url', 'missing or not a string');
  let path: string;
  try {
    const url = new URL(request.url);
    path = `${url.pathname}${url.search}`;
  } catch {
    return quarantined(line, 'har-entry', 'request.url', 'not an absolute URL');
  }
  const at = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
  if (!Number.isFinite(at))
    return quarantined(line, 'har-entry', 'startedDateTime', 'missing or not an ISO 8601 date-time');
  const headers: [string, string][] = [];
  if (request.headers !== undefined) {
    if (!Array.isArray(request.headers))
      return quarantined(line, 'har-entry', 'request.headers', 'not an array');
    for (const [i, h] of request.headers.entries()) {
      const { name, value } = (h ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name !== 'string' || typeof value !== 'string')
        return quarantined(line, 'har-entry', `request.headers[${i}]`, 'needs a string name and value');
      if (!name.startsWith(':')) headers.push([name, value]);
    }
  }
  const body = bodyOf(request.postData);
  if (body instanceof Error) return quarantined(line, 'har-entry', 'request.postData', body.message);
  return {
    kind: 'request',
    id: `entry-${line}`,
    line,
    method,
    path,
    headers,
    ...(body ? { body } : {}),
    at,
  };
}

function bodyOf(postData: HarRequest['postData']): Buffer | undefined | Error {
  if (postData === undefined || postData === null) return undefined;
  if (typeof postData.text === 'string') {
    if (postData.encoding === 'base64') return Buffer.from(postData.text, 'base64');
    return Buffer.from(postData.text, 'utf8');
  }
  if (Array.isArray(postData.params)) {
    const form = new URLSearchParams();
    for (const p of postData.params as { name?: unknown; value?: unknown }[]) {
      if (typeof p?.name !== 'string') return new Error('a form parameter has no name');
      form.append(p.name, typeof p.value === 'string' ? p.value : '');
    }
    return Buffer.from(form.toString(), 'utf8');
  }
  if (postData.text === undefined) return undefined;
  return new Error('postData.text is not a string');
}
