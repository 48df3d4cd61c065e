import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import jsonata from 'jsonata';
import { parse as parseYaml } from 'yaml';
import { regionOfPostcode } from '../../../contracts/domain/order.ts';
import { shipgateError } from '../../../core/errors.ts';
import { CSV_COLUMNS, type CsvColumn, OPTIONAL_CSV_COLUMNS } from '../csv-layout.ts';
import { strictDate } from './strict-date.ts';

/**
 * A map file (YAML or JSON) says how a user's order export becomes shipgate traffic:
 * for each order field (the CSV column names of csv-layout.ts: `customer.address.postcode`,
 * `items`…) a JSONata expression over one export record — a CSV row as an object keyed
 * by its header, or one JSON record. JSONata (a maintained library) gives paths,
 * arithmetic (`grams / 1000`), dates (`$toMillis(placed, '[D01]/[M01]/[Y0001]')`) and
 * lookups (`$lookup($regions, zip)`) without a home-made expression language.
 *
 * Every mistake in the map is found here, before any record is read, and is a config
 * error (SG_CONFIG_INVALID, exit 2) naming the map file and the key.
 */
export type ExportFormat = 'csv' | 'jsonl' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json'];

export interface FieldMapping {
  target: CsvColumn;
  /** `fields.<target>`: where the map says it, for messages. */
  key: string;
  /** A compiled expression, or a constant given as a YAML number or boolean. */
  expression?: jsonata.Expression;
  constant?: number | boolean;
  /** Top-level names the expression reads (column names, for CSV header checks). */
  reads: string[];
}

export interface TrafficMap {
  file: string;
  format?: ExportFormat;
  /** JSON documents: where the array of records is (default: the document itself). */
  records?: jsonata.Expression;
  /** CSV: the field delimiter (default `,`; a tab for `.tsv`). */
  delimiter?: string;
  fields: FieldMapping[];
  /** Variables every expression sees: `$<name>` for each lookup, `$regionOf(postcode)` and `$date(text, picture)`. */
  bindings: Record<string, unknown>;
}

const TOP_KEYS = new Set(['format', 'records', 'csv', 'lookups', 'fields']);

export function loadTrafficMap(file: string): TrafficMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw shipgateError(
      'SG_FILE_UNREADABLE',
      {
        file,
        reason: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code),
      },
      error,
    );
  }
  let document: unknown;
  try {
    document = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw invalid(
      file,
      '(file)',
      `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${message(error)}`,
    );
  }
  return parseTrafficMap(document, file);
}

export function parseTrafficMap(document: unknown, file: string): TrafficMap {
  if (!isObject(document)) throw invalid(file, '(file)', 'must be a mapping with a `fields` key');
  for (const key of Object.keys(document))
    if (!TOP_KEYS.has(key))
      throw invalid(file, key, `unknown key; expected one of ${[...TOP_KEYS].join(', ')}`);

  const map: TrafficMap = { file, fields: [], bindings: { regionOf: regionOf, date: strictDate } };
  if (document.format !== undefined) {
    if (!EXPORT_FORMATS.includes(document.format as ExportFormat))
      throw invalid(file, 'format', `must be one of ${EXPORT_FORMATS.join(', ')}`);
    map.format = document.format as ExportFormat;
  }
  if (document.records !== undefined) {
    if (typeof document.records !== 'string') throw invalid(file, 'records', 'must be a JSONata path');
    map.records = compile(document.records, file, 'records');
  }
  if (document.csv !== undefined) {
    const csv = document.csv;
    if (!isObject(csv) || Object.keys(csv).some((key) => key !== 'delimiter'))
      throw invalid(file, 'csv', 'may hold only `delimiter`');
    if (typeof csv.delimiter !== 'string' || csv.delimiter.length !== 1 || /["\r\n]/.test(csv.delimiter))
      throw invalid(file, 'csv.delimiter', 'must be one character (not a quote or newline)');
    map.delimiter = csv.delimiter;
  }
  if (document.lookups !== undefined) {
    if (!isObject(document.lookups)) throw invalid(file, 'lookups', 'must map names to tables');
    for (const [name, table] of Object.entries(document.lookups)) {
      if (!/^[A-Za-z_]\w*$/.test(name) || name in map.bindings)
        throw invalid(
          file,
          `lookups.${name}`,
          'a lookup name must be an identifier other than regionOf and date',
        );
      if (!isObject(table)) throw invalid(file, `lookups.${name}`, 'must map keys to values');
      map.bindings[name] = table;
    }
  }
  if (!isObject(document.fields))
    throw invalid(file, 'fields', 'required: a mapping from order field to expression');
  const known = new Set<string>(CSV_COLUMNS);
  for (const [target, value] of Object.entries(document.fields)) {
    const key = `fields.${target}`;
    if (!known.has(target))
      throw invalid(file, key, `unknown order field; the fields are ${CSV_COLUMNS.join(', ')}`);
    if (typeof value === 'number' || typeof value === 'boolean') {
      map.fields.push({ target: target as CsvColumn, key, constant: value, reads: [] });
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '')
      throw invalid(
        file,
        key,
        'must be a JSONata expression (a string; a constant string is quoted: \'"EUR"\')',
      );
    const expression = compile(value, file, key);
    map.fields.push({ target: target as CsvColumn, key, expression, reads: topLevelNames(expression.ast()) });
  }
  const mapped = new Set(map.fields.map((field) => field.target));
  const missing = CSV_COLUMNS.filter((column) => !OPTIONAL_CSV_COLUMNS.has(column) && !mapped.has(column));
  if (missing.length > 0)
    throw invalid(file, 'fields', `no mapping for required order field(s) ${missing.join(', ')}`);
  return map;
}

/** `$regionOf(postcode)`: the sandbox world's region of a postcode (its first digit), text or number. */
function regionOf(postcode: unknown): string | undefined {
  return postcode === undefined || postcode === null ? undefined : regionOfPostcode(String(postcode).trim());
}

function compile(source: string, file: string, key: string): jsonata.Expression {
  try {
    return jsonata(source);
  } catch (error) {
    const e = error as Partial<jsonata.JsonataError>;
    const where = typeof e.position === 'number' ? ` at character ${e.position}` : '';
    throw invalid(file, key, `bad expression${where}: ${e.message ?? String(error)}`);
  }
}

/**
 * The record fields an expression reads at its top level (`zip` in
 * `$lookup($regions, $substring(zip, 0, 1))`): the first step of each path that is not
 * inside another path's context. Enough to say "no column zip" before reading a row.
 */
function topLevelNames(node: jsonata.ExprNode | undefined): string[] {
  if (!node) return [];
  switch (node.type as string) {
    case 'name':
      return [String(node.value)];
    case 'path': {
      const first = node.steps?.[0];
      return first?.type === 'name' ? [String(first.value)] : [];
    }
    case 'function':
    case 'partial':
      return (node.arguments ?? []).flatMap(topLevelNames);
    case 'binary':
      return [...topLevelNames(node.lhs as jsonata.ExprNode), ...topLevelNames(node.rhs)];
    case 'condition': {
      const c = node as { condition?: jsonata.ExprNode; then?: jsonata.ExprNode; else?: jsonata.ExprNode };
      return [...topLevelNames(c.condition), ...topLevelNames(c.then), ...topLevelNames(c.else)];
    }
    case 'block':
      return (node.expressions ?? []).flatMap(topLevelNames);
    default:
      return [];
  }
}

function invalid(file: string, key: string, problem: string) {
  return shipgateError('SG_CONFIG_INVALID', { file, key, problem });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
