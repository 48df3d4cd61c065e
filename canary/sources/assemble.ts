import type { RawEventValues } from '../metrics/evaluate.ts';
import { type BucketCounts, type EventCounts, missing, type Parted, type Reading } from './source.ts';

/**
 * Both sources end here, so they apply one rule set to what they found per version and
 * per part (instance or endpoint):
 * - no series for a version → `empty` (never zero);
 * - a bad counter absent where the total exists → 0: a labelled counter is only
 *   exported once it fires, so "no late delivery yet" looks exactly like this;
 * - a bad counter without its total, NaN, ±Inf, or a bucket layout that does not line
 *   up across parts → missing with the reason.
 */

export type ByVersionPart<T> = Map<string, Map<string, T>>;

export function addPart<T>(
  into: ByVersionPart<T>,
  version: string,
  part: string,
  update: (prev: T | undefined) => T,
): void {
  const parts = into.get(version) ?? new Map<string, T>();
  parts.set(part, update(parts.get(part)));
  into.set(version, parts);
}

function nonFinite<T>(value: number, what: string): Reading<T> | undefined {
  if (Number.isNaN(value)) return missing('nan', `${what} is NaN`);
  if (!Number.isFinite(value)) return missing('inf', `${what} is ${value > 0 ? '+Inf' : '-Inf'}`);
  return undefined;
}

export function assembleEvents(
  found: ByVersionPart<RawEventValues>,
  versions: readonly string[],
  describe: string,
): Record<string, Reading<Parted<EventCounts>>> {
  const out: Record<string, Reading<Parted<EventCounts>>> = {};
  for (const version of versions) out[version] = assembleEventsVersion(found.get(version), version, describe);
  return out;
}

function assembleEventsVersion(
  parts: Map<string, RawEventValues> | undefined,
  version: string,
  describe: string,
): Reading<Parted<EventCounts>> {
  if (!parts || parts.size === 0)
    return missing('empty', `no series for version "${version}" (${describe})`, undefined, describe);
  const sum: EventCounts = { bad: 0, total: 0 };
  const byPart: Record<string, EventCounts> = {};
  for (const [part, values] of [...parts].sort(([a], [b]) => a.localeCompare(b))) {
    if (values.total === undefined)
      return missing('empty', `version "${version}" ${part}: bad counter present but no total (${describe})`);
    const bad = values.bad ?? 0;
    const bogus =
      nonFinite<Parted<EventCounts>>(values.total, `total of version "${version}" ${part}`) ??
      nonFinite(bad, `bad of version "${version}" ${part}`);
    if (bogus) return bogus;
    byPart[part] = { bad, total: values.total };
    sum.bad += bad;
    sum.total += values.total;
  }
  return { ok: true, value: { sum, parts: byPart } };
}

export function assembleBuckets(
  found: ByVersionPart<Map<number, number>>,
  versions: readonly string[],
  describe: string,
): Record<string, Reading<Parted<BucketCounts>>> {
  const out: Record<string, Reading<Parted<BucketCounts>>> = {};
  for (const version of versions)
    out[version] = assembleBucketsVersion(found.get(version), version, describe);
  return out;
}

function assembleBucketsVersion(
  parts: Map<string, Map<number, number>> | undefined,
  version: string,
  describe: string,
): Reading<Parted<BucketCounts>> {
  if (!parts || parts.size === 0)
    return missing(
      'empty',
      `no histogram buckets for version "${version}" (${describe})`,
      undefined,
      describe,
    );
  let layout: number[] | undefined;
  const byPart: Record<string, BucketCounts> = {};
  for (const [part, buckets] of [...parts].sort(([a], [b]) => a.localeCompare(b))) {
    const le = [...buckets.keys()].sort((a, b) => a - b);
    if (le[le.length - 1] !== Infinity)
      return missing('error', `version "${version}" ${part}: histogram has no +Inf bucket (${describe})`);
    if (layout && (layout.length !== le.length || layout.some((b, i) => b !== le[i]))) {
      return missing('error', `version "${version}": bucket boundaries differ between parts (${describe})`);
    }
    layout = le;
    const counts = le.map((b) => buckets.get(b)!);
    for (const [i, c] of counts.entries()) {
      const bogus = nonFinite<Parted<BucketCounts>>(c, `bucket le=${le[i]} of version "${version}" ${part}`);
      if (bogus) return bogus;
    }
    byPart[part] = { le, counts };
  }
  const le = layout!;
  const counts = le.map((_, i) => Object.values(byPart).reduce((acc, p) => acc + p.counts[i]!, 0));
  return { ok: true, value: { sum: { le, counts }, parts: byPart } };
}
