import jsonata from 'jsonata';

const roundTrip = jsonata(
  '($ms := $p ? $toMillis($t, $p) : $toMillis($t); $ms = null ? null : ($p and $fromMillis($ms, $p) != $t) ? "rolled" : $fromMillis($ms))',
);

/**
 * `$date(text, picture?)` for map files: JSONata's `$toMillis` with a picture rolls an
 * impossible date over (`31/13/2026` becomes February 2027) rather than refusing it, so
 * a bad date in an export would slip through as a wrong one. This parses with the
 * picture (ISO 8601 without one), formats back and refuses a date that does not
 * survive the round trip. Returns an ISO date-time, or undefined for no text.
 */
export async function strictDate(text: unknown, picture?: unknown): Promise<string | undefined> {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') throw new Error('$date: the date must be text');
  let result: unknown;
  try {
    result = await roundTrip.evaluate({}, { t: text.trim(), p: picture });
  } catch {
    result = null;
  }
  if (typeof result === 'string' && result !== 'rolled') return result;
  throw new Error(
    picture ? `$date: not a valid date in the picture ${String(picture)}` : '$date: not an ISO 8601 date',
  );
}
