import { shipgateError } from '../../core/errors.ts';
import { checkOrder, quarantine, type SeenIds } from './check-order.ts';
import { jsonExcerpt } from './excerpt.ts';
import { type ScanResult, scanHarEntries } from './har-scan.ts';
import type { TrafficRecord } from './record.ts';
import type { ReaderStats } from './stats.ts';

/**
 * HAR 1.2 (browser devtools, mitmproxy, Charles), streamed: har-scan.ts hands over one
 * entry of `log.entries` at a time, so memory is bounded by the largest entry
 * (`maxHarEntryBytes`, default 64 MiB: a response body can be a large image), not by
 * the file.
 *
 * A record is an entry whose request is `POST …/orders` (path ending in /orders); every
 * other entry (assets, GETs, tracking calls) is ignored and counted in stats. `line`
 * is the entry's 1-based index in `log.entries`. An entry too large to hold, or cut off
 * by the end of the file, is quarantined if its first bytes show an order submission,
 * else ignored.
 */
export const DEFAULT_MAX_HAR_ENTRY_BYTES = 64 * 1024 * 1024;
const ORDER_PATH = /\/orders\/?$/;
const LOOKS_LIKE_ORDER =
  /"method"\s*:\s*"POST"[\s\S]*\/orders\/?["?]|\/orders\/?["?][\s\S]*"method"\s*:\s*"POST"/i;

interface HarEntry {
  request?: {
    method?: unknown;
    url?: unknown;
    postData?: { text?: unknown; encoding?: unknown };
  };
}

export async function* readHar(
  source: AsyncIterable<Uint8Array>,
  file: string,
  seen: SeenIds,
  stats: ReaderStats,
  options: { maxHarEntryBytes?: number } = {},
): AsyncGenerator<TrafficRecord> {
  const scan: ScanResult = { foundEntries: false };
  const entries = scanHarEntries(
    source,
    { maxEntryBytes: options.maxHarEntryBytes ?? DEFAULT_MAX_HAR_ENTRY_BYTES },
    scan,
  );
  try {
    for await (const scanned of entries) {
      const line = scanned.index;
      if (scanned.kind !== 'entry') {
        if (!LOOKS_LIKE_ORDER.test(scanned.head)) {
          stats.ignoredEntries += 1;
          continue;
        }
        stats.records += 1;
        yield scanned.kind === 'truncated'
          ? quarantine(
              line,
              'truncated',
              '(entry)',
              'HAR entry cut off by the end of the file',
              jsonExcerpt(scanned.head),
            )
          : quarantine(
              line,
              'too-long',
              '(entry)',
              'HAR entry larger than the entry limit',
              jsonExcerpt(scanned.head),
            );
        continue;
      }
      let entry: HarEntry;
      try {
        entry = JSON.parse(scanned.text) as HarEntry;
      } catch {
        if (!LOOKS_LIKE_ORDER.test(scanned.text.slice(0, 4096))) {
          stats.ignoredEntries += 1;
          continue;
        }
        stats.records += 1;
        yield quarantine(
          line,
          'har-entry',
          '(entry)',
          'HAR entry is not valid JSON',
          jsonExcerpt(scanned.text),
        );
        continue;
      }
      const request = entry?.request;
      if (!isOrderSubmission(request)) {
        stats.ignoredEntries += 1;
        continue;
      }
      stats.records += 1;
      yield orderFromBody(request?.postData, line, seen);
    }
  } catch (error) {
    if (error instanceof RangeError) {
      throw shipgateError('SG_INPUT_INVALID', { file, line: 1, field: '(file)', problem: error.message });
    }
    throw error;
  }
  if (!scan.foundEntries) {
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: 'log.entries',
      problem: 'no log.entries array found: not a HAR file',
    });
  }
}

function orderFromBody(
  postData: NonNullable<HarEntry['request']>['postData'],
  line: number,
  seen: SeenIds,
): TrafficRecord {
  if (typeof postData?.text !== 'string' || postData.text === '') {
    return quarantine(line, 'har-entry', 'request.postData.text', 'order submission without a body');
  }
  const text =
    postData.encoding === 'base64' ? Buffer.from(postData.text, 'base64').toString('utf8') : postData.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    return quarantine(
      line,
      'malformed-json',
      'request.postData.text',
      `request body is not valid JSON${position ? ` (near character ${position})` : ''}`,
      jsonExcerpt(text),
    );
  }
  return checkOrder(value, line, seen, () => jsonExcerpt(text));
}

function isOrderSubmission(request: HarEntry['request']): boolean {
  if (!request || typeof request.method !== 'string' || typeof request.url !== 'string') return false;
  if (request.method.toUpperCase() !== 'POST') return false;
  try {
    return ORDER_PATH.test(new URL(request.url).pathname);
  } catch {
    return ORDER_PATH.test(request.url.split('?')[0] ?? '');
  }
}
