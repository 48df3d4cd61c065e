import { SLO } from './types.ts';
import type { WindowSeries } from './window.ts';

/**
 * The per-measurement rules a Flagger MetricTemplate or an Argo Rollouts AnalysisTemplate
 * can express, for the three leading metrics (errors, ETA past promise, p95 latency).
 *
 * - `reference`: what a value is compared with. `slo`: the canary alone against the
 *   catalogue SLOs (errors ≤ 1%, ETA past promise ≤ 5%, p95 ≤ 1 s), as the tools'
 *   examples do. `primary` / `primary-loose`: the canary against the primary (stable)
 *   over the same window, written in the query as the difference (rates) or the ratio
 *   (p95) of the two versions' values (Flagger issue #739; Argo's `{{args.stable-hash}}`).
 * - `data`: what an empty window (0/0 = NaN) does. `nan-fails`: the check fails (Flagger
 *   counts "no values found" as a failed check; Argo's `successCondition` is false on
 *   NaN). `nan-passes`: the query ends in `or on() vector(0)` after dropping NaN (Flagger),
 *   or the template has only a `failureCondition` (Argo: NaN > x is false, so the
 *   measurement succeeds). `min-N`: the query also requires N canary orders in the window
 *   (`and on() sum(increase(orders_total{version="canary"}[w])) >= N`), else `vector(0)`.
 */
export type Reference = 'slo' | 'primary' | 'primary-loose';
export type DataRule = 'nan-fails' | 'nan-passes' | 'min-20' | 'min-100';

/** Allowed excess over the primary: error and ETA rates in percentage points, p95 as a ratio. */
export const MARGINS = {
  primary: { errors: 0.01, eta: 0.03, p95Ratio: 1.25 },
  'primary-loose': { errors: 0.02, eta: 0.05, p95Ratio: 1.5 },
} as const;

export const METRICS = ['errors', 'eta', 'p95'] as const;

/** Whether metric `m` (0 errors, 1 ETA, 2 p95) passes at check `i`. */
export function metricOk(
  w: WindowSeries,
  i: number,
  m: number,
  reference: Reference,
  data: DataRule,
): boolean {
  const c = w.canary;
  if (data === 'min-20' && c.orders[i]! < 20) return true;
  if (data === 'min-100' && c.orders[i]! < 100) return true;
  const value = m === 0 ? c.errorRate[i]! : m === 1 ? c.etaRate[i]! : c.p95[i]!;
  let x: number;
  let limit: number;
  if (reference === 'slo') {
    x = value;
    limit = m === 0 ? SLO.errorRate : m === 1 ? SLO.etaPastPromise : SLO.p95Seconds;
  } else {
    const b = w.baseline;
    const margin = MARGINS[reference];
    x = m === 0 ? value - b.errorRate[i]! : m === 1 ? value - b.etaRate[i]! : value / b.p95[i]!;
    limit = m === 0 ? margin.errors : m === 1 ? margin.eta : margin.p95Ratio;
  }
  // A comparison with NaN is false in PromQL and in Argo's expressions alike.
  if (Number.isNaN(x)) return data !== 'nan-fails';
  return x <= limit;
}

export function referenceText(reference: Reference): string {
  if (reference === 'slo') return 'canary vs SLO (errors ≤ 1%, ETA past promise ≤ 5%, p95 ≤ 1 s)';
  const m = MARGINS[reference];
  return `canary − primary (errors ≤ +${m.errors * 100} pp, ETA past promise ≤ +${m.eta * 100} pp, p95 ≤ ${m.p95Ratio}× primary's)`;
}

export function dataText(data: DataRule, tool: 'flagger' | 'argo'): string {
  if (data === 'nan-fails')
    return tool === 'flagger' ? 'no data = failed check' : 'NaN = Failed (`successCondition`)';
  if (data === 'nan-passes')
    return tool === 'flagger'
      ? 'no data passes (`… >= 0 or on() vector(0)`)'
      : 'NaN passes (`failureCondition` only)';
  return `windows with < ${data.slice(4)} canary orders pass (\`and on() sum(increase(…[w])) >= ${data.slice(4)} or on() vector(0)\`)`;
}
