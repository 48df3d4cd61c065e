/**
 * JSON for snapshots and baselines, which the step controller journals. Histogram
 * boundaries end in +Inf, which JSON.stringify would silently turn into null; here the
 * `le` arrays carry "+Inf" as a string and are revived as numbers. Nothing else changes.
 */

export function stringifyWithInf(value: unknown): string {
  return JSON.stringify(value, (key, v) =>
    key === 'le' && Array.isArray(v) ? v.map((x) => (x === Infinity ? '+Inf' : x)) : v,
  );
}

export function parseWithInf<T>(text: string): T {
  return JSON.parse(text, (key, v) =>
    key === 'le' && Array.isArray(v) ? v.map((x) => (x === '+Inf' ? Infinity : x)) : v,
  ) as T;
}
