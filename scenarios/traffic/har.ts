import { readFile, stat } from 'node:fs/promises';
import { shipgateError } from '../../harness/errors.ts';
import { checkOrder, quarantine, type SeenIds } from './check-order.ts';
import { jsonExcerpt } from './excerpt.ts';
import type { TrafficRecord } from './record.ts';
import type { ReaderStats } from './stats.ts';

/**
 * HAR 1.2 (browser devtools, mitmproxy, Charles): one JSON document, so it cannot be
 * streamed line by line and a streaming JSON parser is a dependency we do not carry.
 * The bound instead: files up to `maxHarBytes` (default 256 MiB, about 100k orders
 * with their responses) are parsed whole; larger ones are refused with a clear error
 * telling the user to convert to JSONL. Browsers cap their own exports well below.
 *
 * A record is an entry whose request is `POST …/orders` (path ending in /orders); every
 * other entry (assets, GETs, tracking calls) is ignored and counted in stats. `line`
 * is the entry's 1-based index in `log.entries`.
 */
export const DEFAULT_MAX_HAR_BYTES = 256 * 1024 * 1024;
const ORDER_PATH = /\/orders\/?$/;

interface HarEntry {
  request?: {
    method?: unknown;
    url?: unknown;
    postData?: { text?: unknown; encoding?: unknown };
  };
}

export async function* readHar(
  file: string,
  seen: SeenIds,
  stats: ReaderStats,
  options: { maxHarBytes?: number } = {},
): AsyncGenerator<TrafficRecord> {
  const max = options.maxHarBytes ?? DEFAULT_MAX_HAR_BYTES;
  const { size } = await stat(file);
  if (size > max) {
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: '(file)',
      problem: `HAR file of ${size} bytes exceeds the ${max}-byte limit for HAR; export to JSON Lines instead`,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse((await readFile(file, 'utf8')).replace(/^\ufeff/, ''));
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: '(file)',
      problem: `not valid JSON${position ? ` near character ${position}` : ''}, so not a HAR file`,
    });
  }
  const entries = (document as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) {
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: 'log.entries',
      problem: 'a HAR file needs a log.entries array',
    });
  }
  for (const [index, entry] of (entries as HarEntry[]).entries()) {
    const line = index + 1;
    const request = entry?.request;
    if (!isOrderSubmission(request)) {
      stats.ignoredEntries += 1;
      continue;
    }
    stats.records += 1;
    const postData = request?.postData;
    if (typeof postData?.text !== 'string' || postData.text === '') {
      yield quarantine(line, 'har-entry', 'request.postData.text', 'order submission without a body');
      continue;
    }
    const text =
      postData.encoding === 'base64' ? Buffer.from(postData.text, 'base64').toString('utf8') : postData.text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String(error))?.[1];
      yield quarantine(
        line,
        'malformed-json',
        'request.postData.text',
        `request body is not valid JSON${position ? ` (near character ${position})` : ''}`,
        jsonExcerpt(text),
      );
      continue;
    }
    yield checkOrder(value, line, seen, () => jsonExcerpt(text));
  }
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
