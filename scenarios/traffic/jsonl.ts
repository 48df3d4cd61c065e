import { orderCheck, quarantine, type RecordCheck, type SeenIds } from './check-order.ts';
import { jsonExcerpt } from './excerpt.ts';
import { splitLines } from './lines.ts';
import type { Normalisation, TrafficRecord } from './record.ts';
import type { ReaderStats } from './stats.ts';

/**
 * JSON Lines: one order per line. Decisions, so every line is accounted for once:
 * - a BOM on line 1 and a CR before the newline are stripped and the line accepted,
 *   noted on the record (`normalised`) and counted in the stats;
 * - a blank (or whitespace-only) line is quarantined as `blank-line`: it is a line of
 *   the file, and "read = sent + failed + quarantined" counts lines;
 * - a last line without a newline is accepted if it parses, else quarantined as
 *   `truncated` (a writer killed mid-line) rather than `malformed-json`.
 */
export async function* readJsonl(
  source: AsyncIterable<Uint8Array | string>,
  seen: SeenIds,
  stats: ReaderStats,
  options: { maxLineBytes?: number } = {},
  check: RecordCheck = orderCheck(seen),
): AsyncGenerator<TrafficRecord> {
  for await (const raw of splitLines(source, options)) {
    stats.records += 1;
    const normalised: Normalisation[] = [];
    if (raw.bom) {
      stats.bomStripped = true;
      normalised.push('bom');
    }
    if (raw.crlf) {
      stats.crlfLines += 1;
      normalised.push('crlf');
    }
    if (raw.tooLong) {
      yield quarantine(
        raw.line,
        'too-long',
        '(line)',
        `line longer than ${options.maxLineBytes ?? 'the limit of'} bytes`,
      );
      continue;
    }
    if (raw.text === undefined) {
      yield quarantine(raw.line, 'encoding', '(line)', 'line is not valid UTF-8');
      continue;
    }
    const text = raw.text;
    if (text.trim() === '') {
      stats.blankLines += 1;
      yield quarantine(raw.line, 'blank-line', '(line)', 'blank line');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // V8's message quotes the input; only the position is safe to keep.
      const position = /position (\d+)/.exec(String(error))?.[1];
      const where = position ? ` near character ${position}` : '';
      yield raw.terminated
        ? quarantine(raw.line, 'malformed-json', '(line)', `malformed JSON${where}`, jsonExcerpt(text))
        : quarantine(
            raw.line,
            'truncated',
            '(line)',
            `truncated last line (no newline at end of file, JSON incomplete${where})`,
            jsonExcerpt(text),
          );
      continue;
    }
    yield await check(value, raw.line, () => jsonExcerpt(text), normalised);
  }
}
