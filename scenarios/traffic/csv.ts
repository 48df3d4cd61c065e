import { parse } from 'csv-parse';
import { shipgateError } from '../../harness/errors.ts';
import { checkOrder, quarantine, type SeenIds } from './check-order.ts';
import { CSV_COLUMNS, type CsvColumn, OPTIONAL_CSV_COLUMNS, rowToOrder } from './csv-layout.ts';
import { textExcerpt } from './excerpt.ts';
import type { Normalisation, TrafficRecord } from './record.ts';
import type { ReaderStats } from './stats.ts';

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number };
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
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<TrafficRecord> {
  const skipped: { line: number; code: 'csv-row' | 'truncated'; reason: string; excerpt: string }[] = [];
  let lastEnd = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    raw: true,
    info: true,
    skip_records_with_error: true,
    max_record_size: options.maxLineBytes ?? 1024 * 1024,
    on_skip: (error: (Error & { code?: string; lines?: number }) | undefined, raw?: string) => {
      const code = error?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'truncated' : 'csv-row';
      const reason =
        code === 'truncated'
          ? 'truncated last record (file ends inside a quoted field)'
          : `unreadable CSV record (${error?.code ?? 'parse error'})`;
      skipped.push({ line: lastEnd + 1, code, reason, excerpt: textExcerpt(raw ?? '') });
      lastEnd = error?.lines ?? lastEnd + 1;
    },
  });
  const feed = (async () => {
    try {
      for await (const chunk of sniffBom(source, stats)) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();

  let header: CsvColumn[] | undefined;
  const flushSkipped = function* (before: number): Generator<TrafficRecord> {
    while (skipped.length > 0 && skipped[0]!.line < before) {
      const s = skipped.shift()!;
      stats.records += 1;
      yield quarantine(s.line, s.code, '(line)', s.reason, s.excerpt);
    }
  };

  try {
    for await (const parsed of parser as AsyncIterable<Parsed>) {
      const endLine = parsed.info.lines;
      const startLine = endLine - countNewlines(parsed.raw);
      lastEnd = endLine;
      yield* flushSkipped(startLine);
      if (!header) {
        header = checkHeader(parsed.record, file, startLine);
        continue;
      }
      stats.records += 1;
      const normalised: Normalisation[] = [];
      if (startLine === 1 && stats.bomStripped) normalised.push('bom');
      if (parsed.raw.endsWith('\r')) {
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
      yield checkOrder(
        rowToOrder(header, parsed.record),
        startLine,
        seen,
        () => textExcerpt(parsed.raw),
        normalised,
      );
    }
    yield* flushSkipped(Number.POSITIVE_INFINITY);
  } finally {
    // Stopped early (a bad header, or the consumer broke off): release the file.
    parser.destroy();
    await feed;
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

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
