import type { CsvColumn } from '../csv-layout.ts';
import { NUMERIC, parseItems, setPath } from '../csv-layout.ts';
import type { FieldMapping, TrafficMap } from './map-file.ts';

export type Mapped =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; field: string; reason: string };

/**
 * One export record through the map: each order field's expression evaluated against
 * the record, the results coerced the way a CSV cell of shipgate's own layout is (a
 * numeric text becomes a number, `items` text is `SKU:qty:kg;…`, a number for a
 * date-time is epoch milliseconds) and placed at its dotted path. The result is
 * unvalidated: the order schema check that every reader uses comes next and names the
 * field at fault. An expression that fails on this record (`$number("n/a")`) sets the
 * record aside naming the field; its message loses quoted text, which can be input.
 */
export async function mapRecord(map: TrafficMap, record: unknown): Promise<Mapped> {
  const order: Record<string, unknown> = {};
  for (const field of map.fields) {
    let value: unknown;
    try {
      value = await evaluate(field, record, map.bindings);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const text = (e.message ?? String(error)).replace(/"[^"]*"/g, '"…"').slice(0, 200);
      return {
        ok: false,
        field: field.target,
        reason: `${field.key} in ${map.file} failed on this record${e.code ? ` (${e.code})` : ''}: ${text}`,
      };
    }
    const coerced = coerce(field.target, value);
    if (coerced !== undefined) setPath(order, field.target, coerced);
  }
  return { ok: true, value: order };
}

function evaluate(field: FieldMapping, record: unknown, bindings: Record<string, unknown>): unknown {
  return field.expression ? field.expression.evaluate(record, bindings) : field.constant;
}

const DATE_TIMES = new Set<CsvColumn>(['createdAt', 'promisedBy']);

/** undefined for "absent": no value, null, or empty text. */
function coerce(target: CsvColumn, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    if (target === 'value') return NUMERIC.test(text) ? Number(text) : text;
    if (target === 'customer.vip')
      return /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : text;
    if (target === 'items') return coerceItems(parseItems(text));
    return text;
  }
  if (typeof value === 'number' && DATE_TIMES.has(target))
    return Number.isFinite(value) ? new Date(value).toISOString() : value;
  if (typeof value === 'number' && target !== 'value') return String(value);
  if (target === 'items') return coerceItems(value);
  return value;
}

/** Items from JSON or an expression (`lines.{"sku": code, "qty": n, "weightKg": g / 1000}`); a single object is one item. */
function coerceItems(value: unknown): unknown {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? [value] : value;
  if (!Array.isArray(list)) return list;
  return list.map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const out: Record<string, unknown> = { ...item };
    for (const key of ['qty', 'weightKg'])
      if (typeof out[key] === 'string' && NUMERIC.test((out[key] as string).trim()))
        out[key] = Number((out[key] as string).trim());
    if (typeof out.sku === 'number') out.sku = String(out.sku);
    return out;
  });
}
