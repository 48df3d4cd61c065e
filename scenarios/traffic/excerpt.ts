/**
 * Excerpts of bad input for the quarantine file: enough structure to find and fix the
 * line (known keys, punctuation, ids, enums, numbers), never its PII; unknown keys are
 * masked like values, since a hostile file can put a name where a key goes. Every string value is
 * masked to its length unless its key is known to hold no personal data; bare words
 * and long digit runs (a phone typed as a number) are masked too. Works on malformed
 * and truncated JSON, where a real parser cannot help.
 */

const SAFE_VALUE_KEYS = new Set([
  'id',
  'createdAt',
  'sku',
  'region',
  'serviceLevel',
  'promisedBy',
  'currency',
  'country',
  'method',
  'mimeType',
]);
/** Keys of the order schema and of HAR: any other key is input too, and could be a name. */
const KNOWN_KEYS = new Set([
  ...'id createdAt customer name phone email address line1 line2 city postcode country vip items sku qty weightKg'.split(
    ' ',
  ),
  ...'destination region serviceLevel promisedBy value currency notes'.split(' '),
  ...'log version creator entries request response method url postData text mimeType encoding status content'.split(
    ' ',
  ),
]);
const SAFE_VALUE = /^[A-Za-z0-9._:+-]{0,64}$/;
const ENUM_OR_TIME =
  /^(?:express|standard|economy|C|N|NE|E|SE|S|SW|W|NW|true|false|null|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)$/;

export const EXCERPT_LENGTH = 160;

export function jsonExcerpt(text: string, max = EXCERPT_LENGTH): string {
  let out = '';
  let lastKey = '';
  let i = 0;
  // Only the first part of a long line is excerpted; bound the work the same way.
  const end = Math.min(text.length, max * 4);
  while (i < end && out.length <= max) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const body = text.slice(i + 1, Math.min(j, text.length));
      const closed = j < text.length;
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      const isKey = closed && text[k] === ':';
      if (isKey) {
        lastKey = KNOWN_KEYS.has(body) ? body : '';
        out += `"${lastKey || mask(body)}"`;
      } else {
        const keep = SAFE_VALUE_KEYS.has(lastKey) && SAFE_VALUE.test(body) && !/\d{7,}/.test(body);
        out += `"${keep ? body : mask(body)}${closed ? '"' : ''}`;
      }
      i = closed ? j + 1 : text.length;
      continue;
    }
    const word = /^[^\s"{}[\],:]+/.exec(text.slice(i, i + 256))?.[0];
    if (word) {
      const keep =
        /^(?:true|false|null)$/.test(word) || (/^-?[\d.eE+-]+$/.test(word) && !/\d{7,}/.test(word));
      out += keep ? word : mask(word);
      i += word.length;
      continue;
    }
    out += ch;
    i++;
  }
  return truncate(out, max, i < text.length);
}

/** For CSV rows and anything not JSON: keep separators, enums and timestamps only. */
export function textExcerpt(text: string, max = EXCERPT_LENGTH): string {
  const head = text.slice(0, max * 4);
  const out = head.replace(/[^\s,;"'{}[\]]+/gu, (token) => (ENUM_OR_TIME.test(token) ? token : mask(token)));
  return truncate(out, max, head.length < text.length);
}

function mask(value: string): string {
  return `‹${value.length}›`;
}

function truncate(text: string, max: number, more: boolean): string {
  return text.length > max || more ? `${text.slice(0, max)}…` : text;
}
