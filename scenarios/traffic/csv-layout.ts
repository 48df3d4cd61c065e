import type { Order, OrderItem } from '../../contracts/domain/order.ts';

/**
 * The flat CSV layout of a traffic file: a header row naming these columns (any
 * order; optional ones may be absent), one order per record. Nested fields are dotted
 * paths. `items` is either a JSON array (`[{"sku":"TV-55","qty":1,"weightKg":17.5}]`)
 * or the compact `sku:qty:weightKg;sku:qty:weightKg` form, which is what shipgate
 * writes. Empty optional cells mean "absent"; `customer.vip` is true/false/1/0.
 */
export const CSV_COLUMNS = [
  'id',
  'createdAt',
  'customer.name',
  'customer.phone',
  'customer.email',
  'customer.address.line1',
  'customer.address.line2',
  'customer.address.city',
  'customer.address.postcode',
  'customer.address.country',
  'customer.vip',
  'destination.region',
  'destination.postcode',
  'serviceLevel',
  'promisedBy',
  'value',
  'currency',
  'items',
  'notes',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const OPTIONAL_CSV_COLUMNS: ReadonlySet<CsvColumn> = new Set([
  'customer.address.line2',
  'customer.vip',
  'notes',
]);
export const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Builds the (unvalidated) order a row describes; mistyped cells stay strings so the validator names them. */
export function rowToOrder(header: readonly CsvColumn[], cells: readonly string[]): unknown {
  const order: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const cell = cells[index] ?? '';
    if (cell === '' && OPTIONAL_CSV_COLUMNS.has(column)) return;
    setPath(order, column, convert(column, cell));
  });
  return order;
}

export function orderToRow(order: Order): string[] {
  return CSV_COLUMNS.map((column) => {
    if (column === 'items')
      return order.items.map((item) => `${item.sku}:${item.qty}:${item.weightKg}`).join(';');
    const value = getPath(order, column);
    return value === undefined ? '' : String(value);
  });
}

/** RFC 4180 quoting; a dozen lines do not justify a dependency (csv-stringify). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\n`;
}

function convert(column: CsvColumn, cell: string): unknown {
  switch (column) {
    case 'value':
      return NUMERIC.test(cell) ? Number(cell) : cell;
    case 'customer.vip':
      return /^(true|1)$/i.test(cell) ? true : /^(false|0)$/i.test(cell) ? false : cell;
    case 'items':
      return parseItems(cell);
    default:
      return cell;
  }
}

export function parseItems(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return cell;
    }
  }
  if (trimmed === '') return [];
  return trimmed.split(';').map((part): Partial<Record<keyof OrderItem, unknown>> | string => {
    const fields = part.split(':');
    if (fields.length !== 3) return part;
    const [sku, qty, weightKg] = fields as [string, string, string];
    return {
      sku,
      qty: NUMERIC.test(qty) ? Number(qty) : qty,
      weightKg: NUMERIC.test(weightKg) ? Number(weightKg) : weightKg,
    };
  });
}

// Split once per column, not once per cell: rowToOrder runs for every record of a file.
const PATHS = new Map<string, readonly string[]>(CSV_COLUMNS.map((column) => [column, column.split('.')]));

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = PATHS.get(path) ?? path.split('.');
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
