/**
 * A parser for the Prometheus text exposition format (0.0.4; OpenMetrics exemplars and
 * `# EOF` tolerated). Hand-written on purpose: the only npm candidate,
 * parse-prometheus-text-format, is unmaintained, untyped and throws without a line
 * number; the format is small (one sample per line) and we only need samples and
 * their labels, with errors that name the line.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Bounds the work a hostile or broken endpoint can cause. */
export const MAX_EXPOSITION_LINES = 200_000;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  if (lines.length > MAX_EXPOSITION_LINES)
    throw new ExpositionError(MAX_EXPOSITION_LINES, `more than ${MAX_EXPOSITION_LINES} lines`);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    samples.push(parseSampleLine(line, i + 1));
  }
  return samples;
}

function parseSampleLine(line: string, lineNo: number): Sample {
  const nameMatch = NAME.exec(line);
  if (!nameMatch) throw new ExpositionError(lineNo, 'expected a metric name');
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      pos = skipSpaces(line, pos);
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelMatch = LABEL.exec(line.slice(pos));
      if (!labelMatch)
        throw new ExpositionError(lineNo, `${name}: expected a label name at column ${pos + 1}`);
      const label = labelMatch[0];
      pos = skipSpaces(line, pos + label.length);
      if (line[pos] !== '=') throw new ExpositionError(lineNo, `${name}: expected "=" after label ${label}`);
      pos = skipSpaces(line, pos + 1);
      if (line[pos] !== '"')
        throw new ExpositionError(lineNo, `${name}: label ${label}: expected a quoted value`);
      const [value, next] = readQuoted(line, pos + 1, lineNo, `${name}: label ${label}`);
      if (label in labels) throw new ExpositionError(lineNo, `${name}: duplicate label ${label}`);
      labels[label] = value;
      pos = skipSpaces(line, next);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}')
        throw new ExpositionError(lineNo, `${name}: expected "," or "}" after label ${label}`);
    }
  }
  if (line[pos] !== ' ' && line[pos] !== '\t')
    throw new ExpositionError(lineNo, `${name}: expected a space before the value`);
  // Drop an OpenMetrics exemplar (` # {...} v`) and an optional timestamp.
  const rest = line.slice(pos).split(' # ')[0]!.trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '')
    throw new ExpositionError(lineNo, `${name}: expected "value [timestamp]"`);
  const value = parseValue(rest[0]!);
  if (value === undefined)
    throw new ExpositionError(lineNo, `${name}: invalid value "${rest[0]!.slice(0, 40)}"`);
  if (rest[1] !== undefined && !/^-?\d+(\.\d+)?$/.test(rest[1]))
    throw new ExpositionError(lineNo, `${name}: invalid timestamp`);
  return { name, labels, value };
}

function skipSpaces(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

function readQuoted(line: string, pos: number, lineNo: number, what: string): [string, number] {
  let out = '';
  while (pos < line.length) {
    const c = line[pos]!;
    if (c === '"') return [out, pos + 1];
    if (c === '\\') {
      const n = line[pos + 1];
      if (n === 'n') out += '\n';
      else if (n === '\\' || n === '"') out += n;
      else throw new ExpositionError(lineNo, `${what}: invalid escape "\\${n ?? ''}"`);
      pos += 2;
      continue;
    }
    out += c;
    pos++;
  }
  throw new ExpositionError(lineNo, `${what}: unterminated quoted value`);
}

/** Go's ParseFloat as Prometheus accepts it: decimals, exponents, NaN, ±Inf. */
export function parseValue(text: string): number | undefined {
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
