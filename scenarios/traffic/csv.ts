import { type Options, parse } from 'csv-parse';
import { shipgateError } from '../../core/errors.ts';
import { orderCheck, quarantine, type RecordCheck, type SeenIds } from './check-order.ts';
import { CSV_COLUMNS, type CsvColumn, OPTIONAL_CSV_COLUMNS, rowToOrder } from './csv-layout.ts';
import { textExcerpt } from './excerpt.ts';
import type { Normalisation, TrafficRecord } from './record.ts';
import type { ReaderStats } from './stats.ts';

/**
 * How a CSV file's rows become values to check: given the header (cells, file, line),
 * a function from a row's cells to the (unvalidated) value. Throws SG_INPUT_INVALID for
 * a header no row could be read with.
 */
export type CsvLayout = (header: string[], file: string, line: number) => (cells: string[]) => unknown;

/** shipgate's own layout (csv-layout.ts): known columns, every required one present. */
export const ORDER_CSV_LAYOUT: CsvLayout = (cells, file, line) => {
  const header = checkHeader(cells, file, line);
  return (row) => rowToOrder(header, row);
};

export interface CsvReadOptions {
  maxLineBytes?: number;
  /** Default `,`. */
  delimiter?: string;
}

interface Parsed {
  record: string[];
  raw: string;
  /** Computed in on_record, in parser order: the line the record starts on. */
  line: number;
  seq: number;
}

interface Skipped {
  line: number;
  /** Records the parser had emitted before this skip: it goes before record number `after`. */
  after: number;
  code: 'csv-row' | 'truncated';
  reason: string;
  excerpt: string;
}

/**
 * CSV in the layout of csv-layout.ts, streamed through csv-parse. A CSV record may span
 * lines (quoted newlines in notes), so here "read" counts records and `line` is the
 * line a record starts on. A quoting error loses CSV's framing up to where the parser
 * recovers: that stretch is one quarantined record (`csv-row`, or `truncated` when the
 * file ends inside a quote). The header must name known columns and every required one;
 * a bad header rejects the whole file (SG_INPUT_INVALID), as no row could be read.
 */
export async function* readCsv(
  source: AsyncIterable<Uint8Array | string>,
  file: string,
  seen: SeenIds,
  stats: ReaderStats,
  options: CsvReadOptions = {},
  layout: CsvLayout = ORDER_CSV_LAYOUT,
  check: RecordCheck = orderCheck(seen),
): AsyncGenerator<TrafficRecord> {
  const lines = new LineIndex();
  const skipped: Skipped[] = [];
  let emitted = 0;
  let lastGoodEnd = 0;
  const parserOptions: Options = {
    bom: true,
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    // A stray quote inside a field (`O"Brien`, `12" screen`) is kept as text, as
    // spreadsheets do. Strict quoting made csv-parse raise one error per stray quote,
    // each copying the record so far: quadratic, ~1 s for one 25 KB quote-heavy line.
    relax_quotes: true,
    // Both, so a file with mixed line endings does not merge records.
    record_delimiter: ['\r\n', '\n'],
    raw: true,
    info: true,
    skip_records_with_error: true,
    max_record_size: options.maxLineBytes ?? 1024 * 1024,
    // csv-parse's own line count is off for CRLF inside quotes; count from byte offsets.
    on_record: ((value: unknown) => {
      const parsed = value as { record: string[]; raw: string; info: { bytes: number } };
      const end = parsed.info.bytes;
      lastGoodEnd = end;
      const internal = countNewlines(parsed.raw) - (parsed.raw.endsWith('\n') ? 1 : 0);
      return {
        record: parsed.record,
        raw: parsed.raw,
        line: lines.lineAt(end - 1) - internal,
        seq: emitted++,
      };
    }) as unknown as Options['on_record'],
    on_skip: (error, raw) => {
      const code = error?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'truncated' : 'csv-row';
      const reason =
        code === 'truncated'
          ? 'truncated last record (file ends inside a quoted field)'
          : `unreadable CSV record (${error?.code ?? 'parse error'})`;
      const entry = {
        line: lines.lineAt(lastGoodEnd),
        after: emitted,
        code,
        reason,
        excerpt: textExcerpt(raw ?? ''),
      } as const;
      // After a bad quote the parser may report the same stretch again as it recovers.
      const previous = skipped[skipped.length - 1];
      if (previous && previous.line === entry.line && previous.after === entry.after)
        skipped[skipped.length - 1] = entry;
      else skipped.push(entry);
    },
  };
  const parser = parse(parserOptions);
  const feed = (async () => {
    try {
      for await (const chunk of sniffBom(source, stats)) {
        if (parser.destroyed) break;
        lines.add(chunk);
        if (!parser.write(chunk)) await drainOrClose(parser);
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();

  let header: string[] | undefined;
  let toValue: ((cells: string[]) => unknown) | undefined;
  const flushSkipped = function* (before: number): Generator<TrafficRecord> {
    while (skipped.length > 0 && skipped[0]!.after <= before) {
      const s = skipped.shift()!;
      stats.records += 1;
      yield quarantine(s.line, s.code, '(line)', s.reason, s.excerpt);
    }
  };

  try {
    for await (const parsed of parser as AsyncIterable<Parsed>) {
      const startLine = parsed.line;
      yield* flushSkipped(parsed.seq);
      if (!header || !toValue) {
        header = parsed.record;
        toValue = layout(parsed.record, file, startLine);
        continue;
      }
      stats.records += 1;
      const normalised: Normalisation[] = [];
      if (startLine === 1 && stats.bomStripped) normalised.push('bom');
      if (parsed.raw.endsWith('\r') || parsed.raw.endsWith('\r\n')) {
        stats.crlfLines += 1;
        normalised.push('crlf');
      }
      if (parsed.record.length === 1 && parsed.record[0]!.trim() === '') {
        stats.blankLines += 1;
        yield quarantine(startLine, 'blank-line', '(line)', 'blank line');
        continue;
      }
      if (parsed.record.length !== header.length) {
        yield quarantine(
          startLine,
          'csv-row',
          '(line)',
          `record has ${parsed.record.length} fields, the header has ${header.length}${parsed.record.length < header.length ? ' (truncated?)' : ''}`,
          textExcerpt(parsed.raw),
        );
        continue;
      }
      yield await check(toValue(parsed.record), startLine, () => textExcerpt(parsed.raw), normalised);
    }
    yield* flushSkipped(Number.POSITIVE_INFINITY);
  } finally {
    // Stopped early (a bad header, or the consumer broke off): release the file.
    parser.destroy();
    await feed;
  }
}

/**
 * Byte offsets of newlines ahead of the parser, to turn a record's end offset into a
 * line number. Holds only the newlines of chunks not yet parsed (bounded by the stream's
 * buffering), since queries arrive in file order.
 */
class LineIndex {
  #offsets: number[] = [];
  #head = 0;
  #passed = 0;
  #bytes = 0;

  add(chunk: Uint8Array | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, i + 1))
      this.#offsets.push(this.#bytes + i);
    this.#bytes += buffer.length;
  }

  /** 1-based line of the byte at `offset`; offsets must not decrease between calls. */
  lineAt(offset: number): number {
    while (this.#head < this.#offsets.length && this.#offsets[this.#head]! < offset) {
      this.#head++;
      this.#passed++;
    }
    if (this.#head > 4096) {
      this.#offsets = this.#offsets.slice(this.#head);
      this.#head = 0;
    }
    return this.#passed + 1;
  }
}

function checkHeader(cells: string[], file: string, line: number): CsvColumn[] {
  const known = new Set<string>(CSV_COLUMNS);
  const names = cells.map((cell) => cell.trim());
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => (/^[\w.]{1,40}$/.test(name) ? name : '?')).join(', ');
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line,
      field: '(header)',
      problem: `unknown column(s) ${shown}; expected columns: ${CSV_COLUMNS.join(',')}`,
    });
  }
  const missing = CSV_COLUMNS.filter(
    (column) => !OPTIONAL_CSV_COLUMNS.has(column) && !names.includes(column),
  );
  if (missing.length > 0) {
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line,
      field: '(header)',
      problem: `missing column(s) ${missing.join(', ')}`,
    });
  }
  return names as CsvColumn[];
}

async function* sniffBom(source: AsyncIterable<Uint8Array | string>, stats: ReaderStats) {
  let first = true;
  for await (const chunk of source) {
    if (first && chunk.length > 0) {
      first = false;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk.slice(0, 1)) : chunk;
      stats.bomStripped =
        (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || chunk[0] === '\ufeff';
    }
    yield chunk;
  }
}

/** Resolves when the parser wants more input, or has been destroyed (the consumer stopped). */
function drainOrClose(parser: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.once('drain', done);
    parser.once('close', done);
  });
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
