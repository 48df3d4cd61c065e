import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { shipgateError } from '../../../core/errors.ts';
import { checkOrder, quarantine, type RecordCheck, SeenIds } from '../check-order.ts';
import { type CsvLayout, readCsv } from '../csv.ts';
import { jsonExcerpt } from '../excerpt.ts';
import { readJsonl } from '../jsonl.ts';
import { assertTrafficFile, fileChunks, type TrafficReader } from '../read.ts';
import { emptyStats } from '../stats.ts';
import type { ExportFormat, TrafficMap } from './map-file.ts';
import { mapRecord } from './map-record.ts';

/** A JSON document (not JSON Lines) is parsed whole; beyond this, export JSON Lines. */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * Reads a user's own export through a map file as shipgate traffic: the same records,
 * quarantine codes, line numbers and accounting as readTraffic (it uses the same CSV
 * and JSON Lines readers), each record mapped (map-record.ts) before the order check.
 * For a JSON document, `line` is the record's 1-based index in its array.
 */
export function readExport(file: string, map: TrafficMap, format = exportFormat(file, map)): TrafficReader {
  const stats = emptyStats();
  const seen = new SeenIds();
  const check: RecordCheck = async (value, line, excerpt, normalised) => {
    const mapped = await mapRecord(map, value);
    if (!mapped.ok) return quarantine(line, 'invalid-field', mapped.field, mapped.reason, excerpt());
    return checkOrder(mapped.value, line, seen, excerpt, normalised);
  };
  let started = false;
  return {
    file,
    format: format === 'csv' ? 'csv' : 'jsonl',
    stats,
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error(`readExport(${file}) can be iterated only once`);
      started = true;
      assertTrafficFile(file);
      if (format === 'csv') {
        const delimiter = map.delimiter ?? (extname(file).toLowerCase() === '.tsv' ? '\t' : undefined);
        const options = delimiter ? { delimiter } : {};
        yield* readCsv(fileChunks(file), file, seen, stats, options, exportLayout(map), check);
      } else if (format === 'jsonl') {
        yield* readJsonl(fileChunks(file), seen, stats, {}, check);
      } else {
        for (const [index, value] of (await jsonRecords(file, map)).entries()) {
          stats.records += 1;
          yield await check(value, index + 1, () => jsonExcerpt(JSON.stringify(value) ?? ''), []);
        }
      }
    },
  };
}

export function exportFormat(file: string, map: Pick<TrafficMap, 'format'>): ExportFormat {
  if (map.format) return map.format;
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  throw shipgateError('SG_USAGE', {
    message: `cannot tell the format of ${file} from its extension; set format: csv|jsonl|json in the map file`,
  });
}

/**
 * An export's own header: every column the map reads must be there (else no row could
 * be mapped: one clear error rather than a quarantine per row). Rows become objects
 * keyed by column name; the values stay text for the expressions.
 */
function exportLayout(map: TrafficMap): CsvLayout {
  return (cells, file, line) => {
    const names = cells.map((cell) => cell.trim());
    const duplicate = names.find((name, i) => name !== '' && names.indexOf(name) !== i);
    if (duplicate !== undefined)
      throw shipgateError('SG_INPUT_INVALID', {
        file,
        line,
        field: '(header)',
        problem: `column ${safe(duplicate)} appears twice`,
      });
    const present = new Set(names);
    const missing = new Map<string, string[]>();
    for (const field of map.fields)
      for (const name of field.reads.filter((read) => !present.has(read)))
        missing.set(name, [...(missing.get(name) ?? []), field.key]);
    if (missing.size > 0)
      throw shipgateError('SG_INPUT_INVALID', {
        file,
        line,
        field: '(header)',
        problem: `no column ${[...missing].map(([name, keys]) => `${safe(name)} (read by ${keys.join(', ')})`).join(', ')} in ${map.file}; the columns are ${names.map(safe).join(', ')}`,
      });
    return (row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? '']));
  };
}

async function jsonRecords(file: string, map: TrafficMap): Promise<unknown[]> {
  const size = (await stat(file)).size;
  if (size > MAX_JSON_DOCUMENT_BYTES)
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: 1,
      field: '(document)',
      problem: `a JSON document over ${MAX_JSON_DOCUMENT_BYTES >> 20} MiB is not read whole; export JSON Lines (.jsonl) instead`,
    });
  const text = (await readFile(file, 'utf8')).replace(/^\ufeff/, '');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? Number.NaN);
    const line = Number.isFinite(position) ? text.slice(0, position).split('\n').length : 1;
    throw shipgateError('SG_INPUT_INVALID', { file, line, field: '(document)', problem: 'not valid JSON' });
  }
  const records = map.records ? await map.records.evaluate(document, map.bindings) : document;
  if (Array.isArray(records)) return records;
  if (records !== null && typeof records === 'object') return [records];
  throw shipgateError('SG_INPUT_INVALID', {
    file,
    line: 1,
    field: '(document)',
    problem: map.records
      ? `records in ${map.file} found no records in this document`
      : `the document is not an array of records; set records: <path> in ${map.file}`,
  });
}

/** Header names are input: show only identifier-like ones. */
function safe(name: string): string {
  return /^[\w .-]{1,40}$/.test(name) ? `"${name}"` : '"?"';
}
