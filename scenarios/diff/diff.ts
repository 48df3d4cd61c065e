import type { OrderReport } from '../platform/types.ts';
import { PRESENCE_FIELD, pct } from './format.ts';
import { learnNoise, type NoiseModel } from './noise.ts';
import { type NormalizedState, type NormalizeOptions, normalizeState, orderChanges } from './normalize.ts';
import { describeGroup, describeShift, sharedAttributes } from './summary.ts';
import { explainedByTiming } from './timing.ts';

export { PRESENCE_FIELD };

/**
 * Baseline vs candidate, per order id, after normalisation: pure data in, verdict with
 * evidence out. Categorical differences are grouped by (field, from, to); numeric ones
 * by (field, direction of the change), described by the median shift ("deliverySlackHours
 * shifted −2 h median"), since exact from→to pairs of a number split one cause into
 * hundreds of groups of one order. Each group is described by the order attributes its
 * orders share ("all in region NW"), so a reviewer sees the rule behind a regression
 * rather than a list of orders.
 */
export const DEFAULT_ATTRIBUTES = ['region', 'serviceLevel', 'carrier'] as const;
export const DEFAULT_DIFF_BUDGET = 0.01;

/** A rendered value that is a number (slack hours, prices), as normalizeState renders them. */
const NUMBER = /^-?\d+(\.\d+)?$/;

export interface DiffOptions extends NormalizeOptions {
  /** Max share of compared orders with a non-noise difference (default 0.01). */
  budget?: number;
  /** Order attributes (fields of the baseline's report, the adapter's `decisions.groupBy`) to group differences by. */
  attributes?: readonly string[];
  /** Order ids kept per group as samples (default 5). */
  samples?: number;
  /** With a second baseline: share above which a field counts as noisy (default 0). */
  noiseMinShare?: number;
  /**
   * Leave out orders the baseline itself failed to process (outcome `error`): without a
   * reference decision there is nothing to compare (default true). The candidate's own
   * errors where the baseline decided are differences, always.
   */
  excludeBaselineErrors?: boolean;
}

/** Shaped like the report model's DiffGroup (core/report/model.ts). */
export interface DiffGroup {
  field: string;
  from?: string;
  to?: string;
  count: number;
  share: number;
  attributes: Record<string, string>;
  summary: string;
  sampleOrderIds: string[];
  noisy?: boolean;
}

export interface FieldDiff {
  field: string;
  /** Orders in which the field differs. */
  count: number;
  share: number;
  noisy: boolean;
  /** For noisy fields, the share of orders in which the two baselines disagreed. */
  baselineDisagreement?: number;
}

export interface DiffResult {
  /** Orders in either run (ids in both, plus presence differences), less the incomparable. */
  compared: number;
  /** Orders left out because the baseline could not process them (outcome error). */
  incomparable: number;
  incomparableSample: string[];
  /** Orders with at least one non-noise difference. */
  ordersWithDiffs: number;
  /** Orders whose only differences come from when each build reached them (timing noise, not counted). */
  timingNoise: number;
  share: number;
  budget: number;
  verdict: 'pass' | 'fail';
  noisyFields: string[];
  missingInCandidate: string[];
  missingInBaseline: string[];
  byField: FieldDiff[];
  groups: DiffGroup[];
  /** One sentence for the report. */
  summary: string;
}

export interface DiffRunsInput {
  baseline: ReadonlyMap<string, DiffableReport>;
  candidate: ReadonlyMap<string, DiffableReport>;
  secondBaseline?: ReadonlyMap<string, DiffableReport>;
}

/** What the diff reads of a report: the processing outcome and the fields read. */
export type DiffableReport = Pick<OrderReport, 'outcome' | 'fields'>;

export function diffRuns(input: DiffRunsInput, options: DiffOptions = {}): DiffResult {
  const budget = options.budget ?? DEFAULT_DIFF_BUDGET;
  const attributes = options.attributes ?? DEFAULT_ATTRIBUTES;
  const samples = options.samples ?? 5;
  const noise: NoiseModel | undefined = input.secondBaseline
    ? learnNoise(input.baseline, input.secondBaseline, { ...options, minShare: options.noiseMinShare })
    : undefined;
  const noisy = noise?.fields ?? new Set<string>();

  interface Bucket {
    field: string;
    from: string;
    to: string;
    /** Numeric fields: candidate minus baseline, per order. */
    deltas?: number[];
    /** Differences explained by when each build reached the order (see timing.ts). */
    timing: boolean;
    ids: string[];
    attrs: Record<string, string>[];
  }
  const buckets = new Map<string, Bucket>();
  const fieldCounts = new Map<string, number>();
  const attributesOf = (state: DiffableReport | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    if (!state) return out;
    for (const name of attributes) {
      const value = state.fields[name];
      out[name] = value === undefined || value === null ? '(none)' : String(value);
    }
    return out;
  };
  const add = (
    field: string,
    from: string,
    to: string,
    id: string,
    attrs: Record<string, string>,
    timing = false,
  ) => {
    const delta = NUMBER.test(from) && NUMBER.test(to) ? Number(to) - Number(from) : undefined;
    const key = JSON.stringify([
      timing,
      ...(delta === undefined ? [field, from, to] : [field, Math.sign(delta)]),
    ]);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        field,
        from,
        to,
        timing,
        ids: [],
        attrs: [],
        ...(delta === undefined ? {} : { deltas: [] }),
      };
      buckets.set(key, bucket);
    }
    if (delta !== undefined) bucket.deltas?.push(delta);
    bucket.ids.push(id);
    bucket.attrs.push(attrs);
    fieldCounts.set(field, (fieldCounts.get(field) ?? 0) + 1);
  };

  const ids = [...new Set([...input.baseline.keys(), ...input.candidate.keys()])].sort();
  const missingInCandidate: string[] = [];
  const missingInBaseline: string[] = [];
  const incomparable: string[] = [];
  const excludeBaselineErrors = options.excludeBaselineErrors !== false;
  const populations: Record<string, string>[] = [];
  let ordersWithDiffs = 0;
  let timingNoise = 0;
  for (const id of ids) {
    const base = input.baseline.get(id);
    const cand = input.candidate.get(id);
    if (excludeBaselineErrors && base?.outcome === 'error') {
      // The reference could not decide (an inventory timeout, a carrier outage): there
      // is nothing to compare the candidate's decision with.
      incomparable.push(id);
      continue;
    }
    const attrs = attributesOf(base ?? cand);
    populations.push(attrs);
    if (!base || !cand) {
      (base ? missingInCandidate : missingInBaseline).push(id);
      add(PRESENCE_FIELD, base ? 'present' : 'missing', cand ? 'present' : 'missing', id, attrs);
      ordersWithDiffs++;
      continue;
    }
    const a: NormalizedState = normalizeState(base.fields, options);
    const b: NormalizedState = normalizeState(cand.fields, options);
    const changes = orderChanges(a, b);
    const timing = explainedByTiming(base.fields, cand.fields, changes);
    if (timing) timingNoise++;
    let real = false;
    for (const { field, from, to } of changes) {
      add(field, from, to, id, attrs, timing);
      if (!noisy.has(field) && !timing) real = true;
    }
    if (real) ordersWithDiffs++;
  }

  const compared = ids.length - incomparable.length;
  const ratio = (n: number) => (compared === 0 ? 0 : n / compared);
  const groups: DiffGroup[] = [...buckets.values()]
    .map((bucket) => {
      const isNoisy = noisy.has(bucket.field) || bucket.timing;
      const shared = sharedAttributes(bucket.attrs, bucket.field, populations);
      const change = bucket.deltas
        ? { change: describeShift(bucket.field, bucket.deltas) }
        : { from: bucket.from, to: bucket.to };
      const group: DiffGroup = {
        field: bucket.field,
        ...('from' in change ? change : {}),
        count: bucket.ids.length,
        share: ratio(bucket.ids.length),
        attributes: shared,
        summary: describeGroup({
          field: bucket.field,
          ...change,
          share: ratio(bucket.ids.length),
          members: bucket.attrs,
          population: populations,
          noisy: noisy.has(bucket.field),
          timing: bucket.timing,
        }),
        sampleOrderIds: bucket.ids.slice(0, samples),
      };
      if (isNoisy) group.noisy = true;
      return group;
    })
    .sort(
      (x, y) =>
        Number(x.noisy ?? false) - Number(y.noisy ?? false) ||
        y.count - x.count ||
        x.field.localeCompare(y.field),
    );

  const byField: FieldDiff[] = [...fieldCounts.entries()]
    .map(([field, count]) => {
      const entry: FieldDiff = { field, count, share: ratio(count), noisy: noisy.has(field) };
      if (noise && field in noise.rates) entry.baselineDisagreement = noise.rates[field];
      return entry;
    })
    .sort((x, y) => Number(x.noisy) - Number(y.noisy) || y.count - x.count);

  const share = ratio(ordersWithDiffs);
  const verdict = share <= budget ? 'pass' : 'fail';
  const noisyFields = [...noisy].sort();
  return {
    compared,
    incomparable: incomparable.length,
    incomparableSample: incomparable.slice(0, samples),
    ordersWithDiffs,
    timingNoise,
    share,
    budget,
    verdict,
    noisyFields,
    missingInCandidate,
    missingInBaseline,
    byField,
    groups,
    summary: summarize({
      compared,
      ordersWithDiffs,
      share,
      budget,
      groups,
      noisyFields,
      incomparable: incomparable.length,
      timingNoise,
    }),
  };
}

function summarize(
  d: Pick<
    DiffResult,
    | 'compared'
    | 'ordersWithDiffs'
    | 'share'
    | 'budget'
    | 'groups'
    | 'noisyFields'
    | 'incomparable'
    | 'timingNoise'
  >,
): string {
  const timingNote = d.timingNoise
    ? ` ${d.timingNoise} order${d.timingNoise === 1 ? '' : 's'} differed only in when ${d.timingNoise === 1 ? 'it' : 'they'} left the warehouse, explained by when each build reached ${d.timingNoise === 1 ? 'it' : 'them'} (timing noise, ignored).`
    : '';
  const skipped = d.incomparable
    ? ` ${d.incomparable} order${d.incomparable === 1 ? '' : 's'} the baseline failed to process ${d.incomparable === 1 ? 'was' : 'were'} not compared.`
    : '';
  const noiseNote = d.noisyFields.length
    ? ` ${d.noisyFields.length} field${d.noisyFields.length === 1 ? '' : 's'} (${d.noisyFields.join(', ')}) ${d.noisyFields.length === 1 ? 'varies' : 'vary'} between baselines and ${d.noisyFields.length === 1 ? 'was' : 'were'} ignored.`
    : '';
  if (d.compared === 0) return `No orders to compare.${noiseNote}${skipped}`;
  if (d.ordersWithDiffs === 0)
    return `No unexpected differences in ${d.compared} orders.${noiseNote}${timingNote}${skipped}`;
  const top = d.groups
    .filter((g) => !g.noisy)
    .slice(0, 2)
    .map((g) => g.summary);
  const within = d.share <= d.budget ? 'within' : 'over';
  return `${d.ordersWithDiffs} of ${d.compared} orders differ (${pct(d.share)}, ${within} the budget of ${pct(d.budget)}): ${top.join('; ')}.${noiseNote}${timingNote}${skipped}`;
}
