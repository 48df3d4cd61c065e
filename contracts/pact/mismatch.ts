/**
 * Pact reports a broken contract as text (the mock server's mismatch list, the verifier's
 * JSON). These turn it into what a reviewer reads: which field, expected vs actual.
 * Pure functions over strings, tested on captured output.
 */

export const NOT_RECEIVED = 'no request was sent';

export interface FieldMismatch {
  /** JSON path of the field at fault, e.g. `$.packages[0].weight`, or `(request)`. */
  field: string;
  expected: string;
  actual: string;
  /** Pact's own words. */
  message: string;
}

/**
 * Parses the consumer-side error of `executeTest`: lines such as
 * `1.0 	$.packages[0].weight: Expected 2.5 (Decimal) to be an integer`, plus requests
 * the mock did not expect or never received.
 */
export function parseMockServerError(text: string): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const field = /^\d+\.\d+\s+(\$\S*|\S+?):\s+(.*)$/.exec(line);
    if (field) {
      // The mock checks the request the platform sent: `$` is that request's body.
      out.push(fromPactMessage(field[1]!.replace(/^\$/, 'request.body'), field[2]!));
      continue;
    }
    const numbered = /^\d+\.\d+\s+(.*)$/.exec(line);
    if (numbered) {
      out.push(fromPactMessage('(request)', numbered[1]!));
      continue;
    }
    if (/The following request was not expected/.test(line)) {
      out.push({
        field: '(request)',
        expected: 'no such request',
        actual: 'an unexpected request',
        message: line,
      });
    } else if (/The following request was expected but not received/.test(line)) {
      out.push({
        field: '(request)',
        expected: 'the request of this interaction',
        actual: NOT_RECEIVED,
        message: line,
      });
    }
  }
  // A wrong request is also reported as the expected one "not received" (in either
  // order): the field-level mismatches are the evidence, the second entry only noise.
  const fieldLevel = out.filter((m) => m.actual !== NOT_RECEIVED);
  return fieldLevel.length > 0 ? fieldLevel : out;
}

/** Splits "Expected <actual> to be <expected>" (Pact's matcher wording) into the two sides. */
export function fromPactMessage(field: string, message: string): FieldMismatch {
  const patterns: [RegExp, (m: RegExpExecArray) => { expected: string; actual: string }][] = [
    [
      /^Expected (.+?) to (?:be )?(equal to|match|be)?\s*(.+)$/s,
      (m) => ({ actual: m[1]!, expected: [m[2], m[3]].filter(Boolean).join(' ') }),
    ],
    [/^Expected (.+?) but (?:got|received) (.+)$/s, (m) => ({ expected: m[1]!, actual: m[2]! })],
    [/^Expected (.+?) \(.*\) but was (.+)$/s, (m) => ({ expected: m[1]!, actual: m[2]! })],
  ];
  for (const [pattern, split] of patterns) {
    const match = pattern.exec(message);
    if (match) return { field, ...trimSides(split(match)), message };
  }
  return { field, expected: 'see message', actual: 'see message', message };
}

function trimSides(sides: { expected: string; actual: string }) {
  return { expected: sides.expected.trim(), actual: sides.actual.trim() };
}

/** Verifier mismatch objects (pact_ffi JSON) as field mismatches. */
export interface VerifierMismatch {
  type?: string;
  path?: string;
  key?: string;
  expected?: unknown;
  actual?: unknown;
  mismatch?: string;
}

export function fromVerifierMismatch(m: VerifierMismatch, part = 'response'): FieldMismatch {
  const message = m.mismatch ?? `${m.type ?? 'mismatch'}: expected ${show(m.expected)} got ${show(m.actual)}`;
  let field: string;
  if (m.type === 'StatusMismatch') field = `${part}.status`;
  else if (m.type === 'HeaderMismatch') field = `${part}.headers.${m.key ?? ''}`;
  else field = m.path ? `${part}.body${m.path.replace(/^\$/, '')}` : `${part}.body`;
  const parsed = fromPactMessage(field, message);
  if (parsed.expected !== 'see message') return parsed;
  return { field, expected: show(m.expected), actual: show(m.actual), message };
}

/**
 * One verifier mismatch as field mismatches, one per field at fault: a body missing keys
 * ("Actual map is missing the following keys: holdId") names each missing field, so a
 * renamed field reads `response.body.holdId: expected present, got missing`.
 */
export function fieldMismatchesOf(m: VerifierMismatch, part = 'response'): FieldMismatch[] {
  const missing = /missing the following keys: (.+)$/.exec(m.mismatch ?? '');
  if (m.type !== 'BodyMismatch' || !missing) return [fromVerifierMismatch(m, part)];
  const parent = `${part}.body${(m.path ?? '$').replace(/^\$/, '')}`;
  return missing[1]!
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
    .map((key) => ({
      field: `${parent}.${key}`,
      expected: 'present',
      actual: `missing (the body has ${show(m.actual)})`,
      message: m.mismatch!,
    }));
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return String(value ?? '(nothing)');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
