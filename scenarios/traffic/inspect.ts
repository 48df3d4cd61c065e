import { HOURLY_SHARE_PERCENT } from '../generate/curve.ts';
import type { TrafficReader } from './read.ts';
import type { QuarantineCode, TrafficFormat } from './record.ts';
import type { ReaderStats } from './stats.ts';

/** What a traffic file holds, before anything is sent: `traffic inspect`. */
export interface TrafficProfile {
  file: string;
  format: TrafficFormat;
  records: number;
  valid: number;
  /** Records a replay would set aside, by reason (they would go to quarantine.jsonl). */
  quarantined: number;
  quarantinedByCode: Partial<Record<QuarantineCode, number>>;
  /** The first quarantined records (line, code, field), to find them in the file. */
  firstQuarantined: { line: number; code: QuarantineCode; field: string; reason: string }[];
  /** createdAt of the earliest and latest valid order; null when there is none. */
  span: { first: string; last: string; hours: number } | null;
  /** Valid orders per UTC hour of day, as a share of all valid orders (%), midnight first. */
  hourlyPercent: number[];
  regions: Record<string, number>;
  serviceLevels: Record<string, number>;
  reader: ReaderStats;
}

const FIRST_KEPT = 10;

/** One pass over the reader; memory is the counters, not the orders. */
export async function inspectTraffic(reader: TrafficReader): Promise<TrafficProfile> {
  const byCode: Partial<Record<QuarantineCode, number>> = {};
  const firstQuarantined: TrafficProfile['firstQuarantined'] = [];
  const hourly = new Array<number>(24).fill(0);
  const regions: Record<string, number> = {};
  const serviceLevels: Record<string, number> = {};
  let records = 0;
  let valid = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for await (const record of reader) {
    records += 1;
    if (record.kind === 'quarantined') {
      byCode[record.code] = (byCode[record.code] ?? 0) + 1;
      if (firstQuarantined.length < FIRST_KEPT)
        firstQuarantined.push({
          line: record.line,
          code: record.code,
          field: record.field,
          reason: record.reason,
        });
      continue;
    }
    valid += 1;
    const { order } = record;
    const at = Date.parse(order.createdAt);
    first = Math.min(first, at);
    last = Math.max(last, at);
    hourly[new Date(at).getUTCHours()]! += 1;
    regions[order.destination.region] = (regions[order.destination.region] ?? 0) + 1;
    serviceLevels[order.serviceLevel] = (serviceLevels[order.serviceLevel] ?? 0) + 1;
  }
  return {
    file: reader.file,
    format: reader.format,
    records,
    valid,
    quarantined: records - valid,
    quarantinedByCode: byCode,
    firstQuarantined,
    span:
      valid > 0
        ? {
            first: new Date(first).toISOString(),
            last: new Date(last).toISOString(),
            hours: Math.round(((last - first) / 3_600_000) * 10) / 10,
          }
        : null,
    hourlyPercent: hourly.map((n) => (valid > 0 ? Math.round((n / valid) * 1000) / 10 : 0)),
    regions: sortedCounts(regions),
    serviceLevels: sortedCounts(serviceLevels),
    reader: { ...reader.stats },
  };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line bar per hour, scaled to the largest hour (a blank for an empty hour). */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(...values);
  return values
    .map((v) =>
      v <= 0 || max <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * BARS.length))],
    )
    .join('');
}

export function renderProfile(p: TrafficProfile): string {
  const share = (n: number) => (p.records > 0 ? ` (${Math.round((n / p.records) * 1000) / 10}%)` : '');
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '–';
  const lines = [
    `${p.file} (${p.format})`,
    `records ${p.records}  valid ${p.valid}  would be quarantined ${p.quarantined}${share(p.quarantined)}`,
  ];
  if (p.quarantined > 0) {
    lines.push(`  by reason: ${counts(p.quarantinedByCode)}`);
    for (const q of p.firstQuarantined) lines.push(`  line ${q.line}: ${q.code} ${q.field}: ${q.reason}`);
    if (p.quarantined > p.firstQuarantined.length)
      lines.push(`  … ${p.quarantined - p.firstQuarantined.length} more`);
  }
  if (p.span) lines.push(`span ${p.span.first} → ${p.span.last} (${p.span.hours} h)`);
  lines.push(
    'orders per hour of day (UTC, % of the day):',
    `  ${HOUR_RULER}`,
    `  ${sparkline(p.hourlyPercent)}  this file`,
    `  ${sparkline(HOURLY_SHARE_PERCENT)}  reference day (DESIGN.md)`,
    ...[0, 8, 16].map(
      (from) =>
        `  ${p.hourlyPercent
          .slice(from, from + 8)
          .map((v, i) => `${String(from + i).padStart(2, '0')}h ${v.toFixed(1).padStart(4)}`)
          .join('  ')}`,
    ),
    `regions: ${counts(p.regions)}`,
    `service levels: ${counts(p.serviceLevels)}`,
  );
  return lines.join('\n');
}

/** `0     6     12    18   23`: hour marks above the 24-character sparkline. */
const HOUR_RULER = (() => {
  const ruler = Array.from({ length: 24 }, () => ' ');
  for (const hour of [0, 6, 12, 18, 22]) ruler.splice(hour, String(hour).length, ...String(hour));
  return ruler.join('').trimEnd();
})();

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
