import { Order } from '../../contracts/domain/order.ts';
import { type SchemaIssue, validator } from '../../core/schema/validate.ts';
import type { Normalisation, QuarantinedRecord, TrafficRecord } from './record.ts';

const validateOrder = validator(Order);

/**
 * Remembers each order id with the line it first appeared on, so a duplicate names it.
 * Memory grows with the number of distinct ids (about 100 bytes each: 100 MB for a
 * million orders), the one thing a streaming reader must keep to reject duplicates.
 */
export class SeenIds {
  readonly #first = new Map<string, number>();
  firstLine(id: string): number | undefined {
    return this.#first.get(id);
  }
  remember(id: string, line: number): void {
    this.#first.set(id, line);
  }
  get size(): number {
    return this.#first.size;
  }
}

/**
 * Turns one parsed value of a format (a JSON line, a CSV row) into a record. The
 * default checks it as an order (orderCheck); `traffic import` maps it first.
 */
export type RecordCheck = (
  value: unknown,
  line: number,
  excerpt: () => string,
  normalised: Normalisation[],
) => TrafficRecord | Promise<TrafficRecord>;

export const orderCheck =
  (seen: SeenIds): RecordCheck =>
  (value, line, excerpt, normalised) =>
    checkOrder(value, line, seen, excerpt, normalised);

/**
 * Turns one parsed value into a record: a valid, first-seen order, or a quarantined
 * line naming the field at fault. Shared by every format so their rules cannot drift.
 */
export function checkOrder(
  value: unknown,
  line: number,
  seen: SeenIds,
  excerpt: () => string,
  normalised: Normalisation[] = [],
): TrafficRecord {
  const result = validateOrder(value);
  if (!result.ok) {
    const [first] = result.issues;
    return quarantine(line, 'invalid-field', fieldOf(first), describe(result.issues), excerpt());
  }
  const order = result.value;
  const firstLine = seen.firstLine(order.id);
  if (firstLine !== undefined) {
    return quarantine(
      line,
      'duplicate-id',
      'id',
      `duplicate order id, first seen on line ${firstLine}`,
      excerpt(),
    );
  }
  seen.remember(order.id, line);
  return normalised.length > 0 ? { kind: 'order', line, order, normalised } : { kind: 'order', line, order };
}

export function quarantine(
  line: number,
  code: QuarantinedRecord['code'],
  field: string,
  reason: string,
  excerpt?: string,
): QuarantinedRecord {
  return excerpt === undefined
    ? { kind: 'quarantined', line, code, field, reason }
    : { kind: 'quarantined', line, code, field, reason, excerpt };
}

/** `/customer` + "must have required properties email" → `customer.email`. */
function fieldOf(issue: SchemaIssue | undefined): string {
  if (!issue) return '(line)';
  const base = issue.path ? issue.path.slice(1).replaceAll('/', '.') : '';
  const missing = /must have required propert(?:y|ies) (\w+)/.exec(issue.message)?.[1];
  const field = missing ? (base ? `${base}.${missing}` : missing) : base;
  return safeField(field) || '(line)';
}

/**
 * Schema messages name fields and constraints, not values, but unknown property names
 * come from the input: keep only identifier-like names so nothing else leaks.
 */
function describe(issues: SchemaIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = fieldOf(issue);
      if (/must have required propert/.test(issue.message)) return `${field} is required`;
      const message = issue.message.replace(/unknown field\(s\) (.*)$/, (_, names: string) => {
        const safe = names
          .split(', ')
          .map((name) => (/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(name) ? name : '?'));
        return `unknown field(s) ${safe.join(', ')}`;
      });
      return `${field} ${message}`;
    })
    .join('; ');
}

function safeField(field: string): string {
  return field
    .split('.')
    .map((part) => (/^[A-Za-z0-9_]{1,40}$/.test(part) ? part : '?'))
    .join('.');
}
