import { EMAIL, PHONE, STREET } from './detect.ts';

/**
 * Keyless redaction for text that leaves shipgate (log lines, error reasons, excerpts):
 * emails, phones and street addresses become `[email]`, `[phone]`, `[address]`. Use the
 * keyed scrubber (scrub.ts) where the text must stay realistic; use this where it only
 * must stay safe.
 */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(STREET, '[address]').replace(PHONE, '[phone]');
}

const PII_KEYS = new Set([
  'customer',
  'recipient',
  'name',
  'phone',
  'email',
  'address',
  'line1',
  'line2',
  'city',
  'notes',
]);

/**
 * Deep copy with every PII-named key censored and every other string scrubbed: for
 * objects headed to a log, report or span whose shape is not known in advance.
 * Bounded in depth and breadth so hostile input cannot make it spin.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return '[redacted: too deep]';
  if (Array.isArray(value)) return value.slice(0, 10_000).map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, 10_000)) {
    out[key] = PII_KEYS.has(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}
