import { createHash } from 'node:crypto';
import { scrubText } from '../pii/text.ts';

/**
 * A response as the diff sees it: its status and, for a JSON body, every leaf by path
 * (`body.carrier`, `body.history[2].state`); any other body by its SHA-256. Values are
 * kept in memory only while the targets' answers to one request are compared; what is
 * written (results, report) goes through `display`, which redacts personal fields.
 */
export type Fields = Map<string, string>;

const MAX_DEPTH = 32;
const MAX_LEAVES = 10_000;

export function responseFields(status: number, body: Buffer | undefined, json: boolean): Fields {
  const fields: Fields = new Map([['status', String(status)]]);
  if (!body || body.length === 0) return fields;
  if (json) {
    try {
      flatten(JSON.parse(body.toString('utf8')), 'body', fields, 0);
      return fields;
    } catch {
      // declared JSON and is not: compared by hash like any other body
    }
  }
  fields.set('body', `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 16)}`);
  return fields;
}

function flatten(value: unknown, path: string, out: Fields, depth: number): void {
  if (out.size >= MAX_LEAVES) return;
  if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`${path}[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [`${path}.${k}`, v] as const);
    // An empty container is a value of its own: [] and {} differ from missing.
    if (entries.length === 0) out.set(path, Array.isArray(value) ? '[]' : '{}');
    for (const [at, v] of entries) flatten(v, at, out, depth + 1);
    return;
  }
  out.set(path, JSON.stringify(value) ?? 'null');
}

export interface Change {
  /** The concrete path, e.g. `body.history[2].at`. */
  path: string;
  /** Baseline value (undefined: missing). */
  from: string | undefined;
  /** Candidate value (undefined: missing). */
  to: string | undefined;
}

/** Paths whose values differ between two responses (missing on one side counts). */
export function changes(from: Fields, to: Fields): Change[] {
  const out: Change[] = [];
  for (const [path, value] of from) {
    const other = to.get(path);
    if (other !== value) out.push({ path, from: value, to: other });
  }
  for (const [path, value] of to) if (!from.has(path)) out.push({ path, from: undefined, to: value });
  return out;
}

/** `body.history[2].at` → `body.history[].at`: one field however long the list. */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/**
 * Keys whose values are personal data in the APIs shipgate meets (the order schema's,
 * and common ones: fullName, street, town, zip): their values, and everything under
 * them, are never written.
 */
const PERSONAL_KEY =
  /^(customer|recipient|sender|contact|name|full_?name|first_?name|last_?name|given_?name|family_?name|phone|mobile|e_?mail|address|line1|line2|street|town|city|post_?code|zip|notes)$/i;

export function isPersonal(path: string): boolean {
  return path.split(/[.[\]]/).some((key) => key !== '' && PERSONAL_KEY.test(key));
}

/** How a value is written: personal fields redacted, others scrubbed and shortened. */
export function display(path: string, value: string | undefined): string {
  if (value === undefined) return '(missing)';
  if (isPersonal(path)) return '[redacted]';
  const text = scrubText(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
