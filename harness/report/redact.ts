/**
 * Last line of defence for "no PII in any report": before a report is written, any
 * string that looks like an email address or an E.164 phone number is replaced. The
 * layers already scrub (scenarios/pii) and the model has no field for customer data,
 * but free text — a carrier's error message, a contract's actual value — comes from
 * outside. Addresses and names cannot be recognised reliably from text, so they are
 * left to the scrubber; this catches the two forms that can be.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** `+` then 7–15 digits, optionally grouped by single spaces, dashes or dots. */
const PHONE = /(?<![\w+])\+[1-9](?:[ .-]?\d){6,14}(?!\d)/g;

export const EMAIL_MARK = '[email redacted]';
export const PHONE_MARK = '[phone redacted]';

export interface Redaction<T> {
  value: T;
  /** JSON pointers of the strings that were changed (never the values). */
  paths: string[];
}

export function redactText(text: string): string {
  return text.replace(EMAIL, EMAIL_MARK).replace(PHONE, PHONE_MARK);
}

/** A deep copy with every PII-looking string (values and object keys) redacted. */
export function redactPii<T>(value: T): Redaction<T> {
  const paths: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const out = redactText(node);
      if (out !== node) paths.push(path);
      return out;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}/${i}`));
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const safeKey = redactText(key);
        if (safeKey !== key) paths.push(`${path}/${safeKey}`);
        out[safeKey] = walk(child, `${path}/${safeKey}`);
      }
      return out;
    }
    return node;
  };
  return { value: walk(value, '') as T, paths };
}
