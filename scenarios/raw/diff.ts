import { pct } from '../diff/format.ts';

/**
 * Candidate vs baseline responses, grouped by endpoint and field, with Diffy's noise
 * cancellation: pure, data in, verdict with evidence out.
 *
 * Each compared request contributes the fields in which the candidate's answer differed
 * from the baseline's and, with a second baseline, the fields in which the two
 * baselines differed. Per (endpoint, field): the candidate rate c (share of the
 * endpoint's compared requests where the candidate differed) and the noise rate n
 * (where the baselines disagreed). A field is **noise** when n > 0 and c ≤ factor × n
 * (default 2): the candidate differs no more often than the baseline differs from
 * itself (timestamps, generated ids, random tie-breaks). A field the baselines agree
 * on (n = 0) is a **real difference** however rarely it differs; so is a noisy field
 * the candidate changes far more often than the noise explains (Diffy's relative
 * threshold). A request with at least one real difference counts against the budget.
 */
export interface ComparedRequest {
  id: string;
  endpoint: string;
  /** Candidate vs baseline, one entry per field (first change seen), values as written. */
  diffs: { field: string; from: string; to: string }[];
  /** Fields in which the baseline and the second baseline differed; absent without one. */
  noise?: string[];
}

export interface RawFieldGroup {
  endpoint: string;
  field: string;
  /** Requests of the endpoint in which the candidate differed on the field. */
  count: number;
  /** count / the endpoint's compared requests. */
  share: number;
  noisy: boolean;
  /** Share of the endpoint's requests in which the baselines disagreed (with a second baseline). */
  baselineDisagreement?: number;
  /** The commonest baseline→candidate values, most frequent first (at most 3). */
  changes: { from: string; to: string; count: number }[];
  samples: string[];
  summary: string;
}

export interface RawEndpointSummary {
  endpoint: string;
  compared: number;
  /** Requests with at least one real (not noise) difference. */
  differing: number;
  share: number;
}

export interface RawDiffResult {
  compared: number;
  /** Requests with at least one real difference. */
  differing: number;
  share: number;
  budget: number;
  verdict: 'pass' | 'fail';
  /** Real differences first (largest count first), then noise. */
  fields: RawFieldGroup[];
  endpoints: RawEndpointSummary[];
  noiseLearned: boolean;
  summary: string;
}

export const DEFAULT_RAW_DIFF_BUDGET = 0.01;
export const DEFAULT_NOISE_FACTOR = 2;

export function diffResponses(
  requests: Iterable<ComparedRequest>,
  options: { budget?: number; noiseFactor?: number; samples?: number } = {},
): RawDiffResult {
  const budget = options.budget ?? DEFAULT_RAW_DIFF_BUDGET;
  const factor = options.noiseFactor ?? DEFAULT_NOISE_FACTOR;
  const maxSamples = options.samples ?? 5;
  const perEndpoint = new Map<string, { compared: number; withNoise: number }>();
  const groups = new Map<
    string,
    {
      endpoint: string;
      field: string;
      ids: string[];
      count: number;
      noise: number;
      pairs: Map<string, number>;
    }
  >();
  const all: ComparedRequest[] = [];
  let noiseLearned = false;
  const group = (endpoint: string, field: string) => {
    const key = `${endpoint}\u0000${field}`;
    let g = groups.get(key);
    if (!g) {
      g = { endpoint, field, ids: [], count: 0, noise: 0, pairs: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  for (const r of requests) {
    all.push(r);
    const e = perEndpoint.get(r.endpoint) ?? { compared: 0, withNoise: 0 };
    e.compared += 1;
    if (r.noise) {
      e.withNoise += 1;
      noiseLearned = true;
      for (const field of r.noise) group(r.endpoint, field).noise += 1;
    }
    perEndpoint.set(r.endpoint, e);
    for (const d of r.diffs) {
      const g = group(r.endpoint, d.field);
      g.count += 1;
      if (g.ids.length < maxSamples) g.ids.push(r.id);
      const pair = JSON.stringify([d.from, d.to]);
      g.pairs.set(pair, (g.pairs.get(pair) ?? 0) + 1);
    }
  }
  const fields: RawFieldGroup[] = [];
  const noisy = new Set<string>();
  for (const [key, g] of groups) {
    if (g.count === 0) continue; // only the baselines disagreed: nothing the candidate did
    const e = perEndpoint.get(g.endpoint)!;
    const share = g.count / e.compared;
    const disagreement = e.withNoise > 0 ? g.noise / e.withNoise : undefined;
    const isNoise = disagreement !== undefined && disagreement > 0 && share <= factor * disagreement;
    if (isNoise) noisy.add(key);
    const changes = [...g.pairs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([pair, count]) => {
        const [from, to] = JSON.parse(pair) as [string, string];
        return { from, to, count };
      });
    fields.push({
      endpoint: g.endpoint,
      field: g.field,
      count: g.count,
      share,
      noisy: isNoise,
      ...(disagreement !== undefined ? { baselineDisagreement: disagreement } : {}),
      changes,
      samples: g.ids,
      summary: describe(g.field, g.endpoint, g.count, e.compared, changes, isNoise, disagreement),
    });
  }
  fields.sort((a, b) => Number(a.noisy) - Number(b.noisy) || b.count - a.count);

  const differingBy = new Map<string, number>();
  let differing = 0;
  for (const r of all) {
    const real = r.diffs.some((d) => !noisy.has(`${r.endpoint}\u0000${d.field}`));
    if (!real) continue;
    differing += 1;
    differingBy.set(r.endpoint, (differingBy.get(r.endpoint) ?? 0) + 1);
  }
  const endpoints = [...perEndpoint]
    .map(([endpoint, e]) => {
      const d = differingBy.get(endpoint) ?? 0;
      return { endpoint, compared: e.compared, differing: d, share: d / e.compared };
    })
    .sort((a, b) => b.differing - a.differing || a.endpoint.localeCompare(b.endpoint));
  const compared = all.length;
  const share = compared ? differing / compared : 0;
  const verdict = share > budget ? 'fail' : 'pass';
  const real = fields.filter((f) => !f.noisy);
  const noiseCount = fields.length - real.length;
  const summary =
    compared === 0
      ? 'No request could be compared.'
      : differing === 0
        ? `The candidate answered all ${compared} compared requests as the baseline did${noiseCount ? ` (${noiseCount} noisy field${noiseCount === 1 ? '' : 's'} ignored)` : ''}.`
        : `${differing} of ${compared} requests (${pct(share)}) answered differently: ${real
            .slice(0, 3)
            .map((f) => f.summary)
            .join('; ')}.`;
  return { compared, differing, share, budget, verdict, fields, endpoints, noiseLearned, summary };
}

function describe(
  field: string,
  endpoint: string,
  count: number,
  compared: number,
  changes: RawFieldGroup['changes'],
  noisy: boolean,
  disagreement: number | undefined,
): string {
  const top = changes[0];
  const what = top && top.count === count ? `${field} changed ${top.from}→${top.to}` : `${field} differs`;
  const where = `in ${count} of ${compared} responses (${pct(count / compared)}) of ${endpoint}`;
  const noise =
    noisy && disagreement !== undefined
      ? `; noise: the baselines disagree on it in ${pct(disagreement)}`
      : '';
  return `${what} ${where}${noise}`;
}
