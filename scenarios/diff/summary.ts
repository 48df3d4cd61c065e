import { PRESENCE_FIELD, pct } from './format.ts';

/**
 * Plain-English descriptions of a difference group. "All in region NW" is only said
 * when it tells the reader something: every order in the group shares the attribute,
 * and not every compared order does (if all orders are NW, it explains nothing).
 * "Mostly" needs at least 80% of at least 5 orders, and a share at least twice the
 * attribute's share in the whole run.
 */
export function sharedAttributes(
  members: readonly Record<string, string>[],
  field: string,
  population: readonly Record<string, string>[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const first = members[0];
  if (!first) return out;
  for (const [name, value] of Object.entries(first)) {
    if (name === field || value === '(none)') continue;
    if (!members.every((m) => m[name] === value)) continue;
    if (population.every((p) => p[name] === value)) continue; // true of every order: says nothing
    out[name] = value;
  }
  return out;
}

export interface GroupDescription {
  field: string;
  from?: string;
  to?: string;
  /** Numeric fields: "shifted −2 h median (−47 to −1 h)", from describeShift. */
  change?: string;
  share: number;
  members: readonly Record<string, string>[];
  population: readonly Record<string, string>[];
  noisy: boolean;
  /** Explained by when each build reached the orders (scenarios/diff/timing.ts). */
  timing?: boolean;
}

export function describeGroup(g: GroupDescription): string {
  const head =
    g.field === PRESENCE_FIELD
      ? g.to === 'missing'
        ? `order missing from the candidate in ${pct(g.share)} of orders`
        : `order missing from the baseline in ${pct(g.share)} of orders`
      : g.change
        ? `${g.field} ${g.change} in ${pct(g.share)} of orders`
        : `${g.field} changed ${g.from}→${g.to} in ${pct(g.share)} of orders`;
  const where = concentration(g.members, g.population, g.field);
  const tail = g.timing
    ? ', explained by when each build reached the order (timing noise)'
    : g.noisy
      ? ', also between two baseline runs (noise)'
      : '';
  return `${head}${where ? `, ${where}` : ''}${tail}`;
}

/**
 * A numeric field's change in one direction, by its median and range: "shifted −2 h
 * median (−47 to −1 h)". Hours for fields named …Hours; other numbers bare.
 */
export function describeShift(field: string, deltas: readonly number[]): string {
  const sorted = [...deltas].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const unit = field.endsWith('Hours') ? ' h' : '';
  const n = (x: number) => `${x < 0 ? '−' : '+'}${Math.round(Math.abs(x) * 100) / 100}`;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const range = min === max ? '' : ` (${n(min)} to ${n(max)}${unit})`;
  return `shifted ${n(median)}${unit} median${range}`;
}

function concentration(
  members: readonly Record<string, string>[],
  population: readonly Record<string, string>[],
  field: string,
): string | undefined {
  const first = members[0];
  if (!first) return undefined;
  const alls: string[] = [];
  let mostly: { text: string; share: number } | undefined;
  for (const name of Object.keys(first)) {
    if (name === field) continue;
    const counts = new Map<string, number>();
    for (const m of members) counts.set(m[name] ?? '(none)', (counts.get(m[name] ?? '(none)') ?? 0) + 1);
    const [value, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    if (value === '(none)') continue;
    const share = count / members.length;
    const base = population.filter((p) => p[name] === value).length / Math.max(population.length, 1);
    if (base >= 1) continue; // every order has it: no information
    const label = ATTRIBUTE_LABELS[name] ?? name;
    if (share === 1) alls.push(`${label} ${value}`);
    else if (members.length >= 5 && share >= 0.8 && share >= 2 * base && (!mostly || share > mostly.share)) {
      mostly = { text: `mostly (${pct(share)}) in ${label} ${value}`, share };
    }
  }
  if (alls.length) return `all in ${alls.join(', ')}`;
  return mostly?.text;
}

const ATTRIBUTE_LABELS: Record<string, string> = {
  region: 'region',
  serviceLevel: 'service level',
  carrier: 'carrier',
};
