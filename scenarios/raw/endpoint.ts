/**
 * The endpoint a request belongs to, for grouping differences: method and path template
 * (`GET /fulfilment/tickets/{id}/status`). Ids in paths are collapsed so one endpoint is
 * one group, not one per order: a segment of digits, a UUID, a long hex string, or any
 * segment with three or more digits (`FT-0000001`, `shop-1001`, `GW00000001`) becomes
 * `{id}`; short ones such as `v2` stay. Templates given by the user win, so an id the
 * heuristic misses (`/users/alice`) can still be named: `/users/{user}`.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{16,}$/i;
const DIGITS = /^\d+$/;

export function isIdSegment(segment: string): boolean {
  // An email or other personal handle in a path is an id too, and must not reach a report.
  if (segment.includes('@')) return true;
  if (DIGITS.test(segment) || UUID.test(segment) || HEX.test(segment)) return true;
  return (segment.match(/\d/g)?.length ?? 0) >= 3;
}

export type EndpointNamer = (method: string, path: string) => string;

export function endpointNamer(templates: readonly string[] = []): EndpointNamer {
  const parsed = templates.map((t) => ({ template: t, parts: split(t) }));
  return (method, path) => {
    const parts = split(path.split('?')[0] ?? '/').map(safeDecode);
    const known = parsed.find(
      (t) =>
        t.parts.length === parts.length &&
        t.parts.every((p, i) => (p.startsWith('{') && p.endsWith('}')) || p === parts[i]),
    );
    if (known) return `${method} ${known.template}`;
    return `${method} /${parts.map((p) => (isIdSegment(p) ? '{id}' : p)).join('/')}`;
  };
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
