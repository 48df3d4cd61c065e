import { type ShipgateError, shipgateError } from '../../core/errors.ts';
import type { MetricDecl } from '../metrics/catalogue.ts';
import type { SourceSnapshot } from '../sources/source.ts';
import type { RolloutOutcome } from './rollout.ts';
import type { Versions } from './series.ts';

/**
 * A metric whose query matches no series at all — for the canary nor the baseline — is
 * a configuration error (a series name or label that does not exist on this platform),
 * not data that has yet to come: waiting would only end in an inconclusive rollback.
 * It is judged before the first analysis that would act (advance, promote, roll back
 * for lack of data) with the platform visible (some metric matched a series): early on,
 * a platform's sub-series appear at different times (no shipped order yet), and one not
 * scraped yet is not blamed.
 * Lagging metrics are exempt: their events (a delivery) may come days after the release.
 * A metric with series for one side only is not an error: that side has no data yet.
 */
export interface Unmatched {
  metricId: string;
  /** The query (Prometheus) or scrape selector (direct scrape) that found nothing. */
  query: string;
  sides: { side: 'canary' | 'baseline'; version: string }[];
}

/**
 * Whether any version of the metric has a series. Sources mark "this query or selector
 * matched nothing" as an `empty` reading carrying the query; anything else (a value, NaN,
 * an outage, a bad counter without its total) is not that.
 */
function matched(snapshot: SourceSnapshot, metricId: string): boolean {
  const byVersion = snapshot.metrics[metricId]?.byVersion ?? {};
  return Object.values(byVersion).some((r) => r.ok || r.missing.kind !== 'empty' || !r.missing.query);
}

/** Some metric matched a series: the platform is scraped and the source reads it. */
export function platformVisible(snapshot: SourceSnapshot): boolean {
  return Object.keys(snapshot.metrics).some((id) => matched(snapshot, id));
}

/** The metrics (lagging ones aside, unless `all`) none of whose versions matched a series. */
export function unmatchedMetrics(
  snapshot: SourceSnapshot,
  metrics: readonly MetricDecl[],
  versions: Versions,
  options: { includeLagging?: boolean } = {},
): Unmatched[] {
  return metrics
    .filter((m) => options.includeLagging || m.indicator !== 'lagging')
    .filter((m) => snapshot.metrics[m.id] && !matched(snapshot, m.id))
    .map((m) => {
      const byVersion = snapshot.metrics[m.id]!.byVersion;
      const first = Object.values(byVersion).find((r) => !r.ok);
      const query = (first && !first.ok && first.missing.query) || m.id;
      return {
        metricId: m.id,
        query,
        sides: (['canary', 'baseline'] as const).map((side) => ({ side, version: versions[side] })),
      };
    });
}

/** "the canary (version "next") and the baseline (version "current")" */
export function sidesText(sides: Unmatched['sides']): string {
  return sides.map((s) => `the ${s.side} (version "${s.version}")`).join(' and ');
}

/**
 * The config error behind a finished rollout, if it was one: rolled back at its first
 * analysis for a metric that matched nothing, or ended for lack of data (budget, time
 * limit) without any metric ever matching a series — every name or label is wrong, so
 * the platform never became visible. An outage (errors, not empty results) is not this.
 */
export function noSeriesError(
  outcome: RolloutOutcome,
  metrics: readonly MetricDecl[],
  versions: Versions,
  sourceName: string,
): ShipgateError | undefined {
  const { action, run } = outcome;
  const snapshot = run.lastSnapshot;
  if (!snapshot || action.type === 'promote') return undefined;
  let unmatched: Unmatched[] = [];
  if (action.type === 'rollback' && action.cause === 'config-error')
    unmatched = unmatchedMetrics(snapshot, metrics, versions);
  else if (
    !platformVisible(snapshot) &&
    run.series.every((s) => s.intervals.every((i) => !i.canary && !i.baseline))
  )
    unmatched = unmatchedMetrics(snapshot, metrics, versions, { includeLagging: true });
  const [first, ...more] = unmatched;
  if (!first) return undefined;
  return shipgateError('SG_METRICS_NO_SERIES', {
    metric: more.length
      ? `${first.metricId} (and ${more.map((u) => `${u.metricId}: ${u.query}`).join('; ')})`
      : first.metricId,
    query: first.query,
    sides: sidesText(first.sides),
    source: sourceName,
  });
}
