import {
  type BucketCounts,
  type EventCounts,
  type MetricReading,
  missing,
  type Parted,
  type Reading,
  type SourceSnapshot,
} from './source.ts';

/**
 * Turns consecutive snapshots into interval counts, pure. Counter resets are handled
 * per part (instance or endpoint) the way Prometheus' `increase` handles them per
 * series: a value lower than before means the process restarted, and the increase is
 * the new value. Doing it per part, not on the version's sum, keeps one restarted pod
 * from reading as a huge drop (or, worse, from being ignored).
 *
 * The baseline remembers, per metric, version and part, the last value seen and when.
 * A reading missing now (outage, failed scrape) leaves the baseline as it was, so the
 * next good snapshot's interval covers the whole gap: cumulative counters lose nothing.
 * A part that vanishes and comes back is diffed against its last value, not counted
 * again from zero; a part never seen before counts in full (it started in the interval).
 * A version first seen with no series at all, then with some, counts in full from the
 * empty observation; a version first seen with values only starts the count there.
 */

export interface IntervalEvents extends EventCounts {
  from: number;
  to: number;
  /** Parts whose counters went down since the baseline (process restarts). */
  resets: string[];
}

export interface IntervalBuckets extends BucketCounts {
  from: number;
  to: number;
  resets: string[];
}

export type IntervalMetric =
  | { kind: 'events'; byVersion: Record<string, Reading<IntervalEvents>> }
  | { kind: 'quantile'; byVersion: Record<string, Reading<IntervalBuckets>> }
  | { kind: 'raw'; byVersion: Record<string, Reading<number>> };

export interface IntervalCounts {
  to: number;
  metrics: Record<string, IntervalMetric>;
}

interface BaseEntry<T> {
  at: number;
  parts: Record<string, T>;
}

/** What the step controller keeps (and journals, with json.ts: bucket bounds include +Inf) between snapshots. */
export interface Baseline {
  metrics: Record<
    string,
    {
      kind: 'events' | 'quantile';
      byVersion: Record<string, BaseEntry<EventCounts> | BaseEntry<BucketCounts>>;
    }
  >;
}

export interface Advance {
  interval: IntervalCounts;
  baseline: Baseline;
}

/**
 * One step: the interval counts from `baseline` (undefined at the first snapshot) to
 * `snapshot`, and the baseline to keep. At the first snapshot every cumulative reading
 * is `empty` ("no earlier snapshot"): there is no interval yet, only a starting point.
 */
export function advance(baseline: Baseline | undefined, snapshot: SourceSnapshot): Advance {
  const next: Baseline = { metrics: structuredClone(baseline?.metrics ?? {}) };
  const metrics: Record<string, IntervalMetric> = {};
  for (const [id, reading] of Object.entries(snapshot.metrics)) {
    metrics[id] = stepMetric(id, reading, next, snapshot.at);
  }
  return { interval: { to: snapshot.at, metrics }, baseline: next };
}

function stepMetric(id: string, reading: MetricReading, next: Baseline, at: number): IntervalMetric {
  if (reading.kind === 'raw') return { kind: 'raw', byVersion: { ...reading.byVersion } };
  const base =
    next.metrics[id]?.kind === reading.kind ? next.metrics[id]! : { kind: reading.kind, byVersion: {} };
  next.metrics[id] = base;
  const byVersion: Record<string, Reading<IntervalEvents | IntervalBuckets>> = {};
  for (const [version, r] of Object.entries(reading.byVersion)) {
    const prev = base.byVersion[version];
    if (!r.ok) {
      // Seen to have no series (not failed to look): whatever appears later started
      // after this moment, so it counts in full from here — a new canary's first
      // failures are evidence, not a starting point.
      if (r.missing.kind === 'empty' && !prev) base.byVersion[version] = { at, parts: {} };
      byVersion[version] = r;
      continue;
    }
    const curr = r.value as Parted<EventCounts | BucketCounts>;
    // Parts not in this snapshot keep their last value, so their return is not a reset.
    base.byVersion[version] = { at, parts: { ...prev?.parts, ...curr.parts } } as BaseEntry<EventCounts>;
    if (!prev) {
      byVersion[version] = missing(
        'empty',
        'no earlier snapshot to diff against (first observation of this version)',
      );
      continue;
    }
    byVersion[version] =
      reading.kind === 'events'
        ? { ok: true, value: diffEvents(prev as BaseEntry<EventCounts>, curr as Parted<EventCounts>, at) }
        : { ok: true, value: diffBuckets(prev as BaseEntry<BucketCounts>, curr as Parted<BucketCounts>, at) };
  }
  return { kind: reading.kind, byVersion } as IntervalMetric;
}

/** Interval counts between two cumulative per-part readings, resets handled per part. */
export function diffEvents(
  prev: BaseEntry<EventCounts>,
  curr: Parted<EventCounts>,
  to: number,
): IntervalEvents {
  const out: IntervalEvents = { bad: 0, total: 0, from: prev.at, to, resets: [] };
  for (const [part, c] of Object.entries(curr.parts)) {
    const p = prev.parts[part];
    const reset = p !== undefined && (c.total < p.total || c.bad < p.bad);
    if (reset) out.resets.push(part);
    const base = p === undefined || reset ? { bad: 0, total: 0 } : p;
    const total = c.total - base.total;
    // Both counters come from one scrape, so bad ≤ total holds; clamp anyway so a racing
    // exporter cannot hand the judge an impossible binomial count.
    out.total += total;
    out.bad += Math.min(Math.max(c.bad - base.bad, 0), total);
  }
  return out;
}

export function diffBuckets(
  prev: BaseEntry<BucketCounts>,
  curr: Parted<BucketCounts>,
  to: number,
): IntervalBuckets {
  let le: number[] = [];
  let counts: number[] = [];
  const resets: string[] = [];
  for (const [part, c] of Object.entries(curr.parts)) {
    const p = prev.parts[part];
    const sameLayout = p !== undefined && p.le.length === c.le.length && p.le.every((b, i) => b === c.le[i]);
    const reset = p !== undefined && (!sameLayout || c.counts.some((n, i) => n < p.counts[i]!));
    if (reset) resets.push(part);
    const delta = c.counts.map((n, i) => n - (p === undefined || reset ? 0 : p.counts[i]!));
    if (counts.length === 0) {
      le = [...c.le];
      counts = delta;
    } else {
      counts = counts.map((n, i) => n + delta[i]!);
    }
  }
  return { le, counts, from: prev.at, to, resets };
}
