import type { MetricDecl } from '../metrics/catalogue.ts';
import { VERSION_LABEL } from '../metrics/names.ts';
import { escapeLabelValue, escapeRegex, leMatcher } from '../metrics/promql.ts';

/**
 * What a direct scrape selects for a metric, in the notation of a PromQL selector, so a
 * report names the series a check was judged on as precisely as a Prometheus source
 * names its queries: `bad: x_total{result="failed", release_track=~"next|current"}`.
 * Pure: the direct-scrape source adds where it scraped.
 */
export interface ScrapeSelectorOptions {
  versionLabel?: string;
  matchers?: Readonly<Record<string, string>>;
  versions: readonly string[];
}

type Selector = { series: string; matchers?: Record<string, string> } | { histogram: string; le: number };

function selector(
  series: string,
  matchers: Readonly<Record<string, string>> | undefined,
  opts: ScrapeSelectorOptions,
  extra?: string,
): string {
  const parts = Object.entries({ ...opts.matchers, ...matchers }).map(
    ([name, value]) => `${name}="${escapeLabelValue(value)}"`,
  );
  if (extra) parts.push(extra);
  const label = opts.versionLabel ?? VERSION_LABEL;
  parts.push(`${label}=~"${escapeLabelValue(opts.versions.map(escapeRegex).join('|'))}"`);
  return `${series}{${parts.join(', ')}}`;
}

function counted(sel: Selector, opts: ScrapeSelectorOptions): string {
  if ('histogram' in sel)
    return `${selector(`${sel.histogram}_count`, undefined, opts)} − ${selector(`${sel.histogram}_bucket`, undefined, opts, leMatcher(sel.le))}`;
  return selector(sel.series, sel.matchers, opts);
}

export function scrapeSelectors(metric: MetricDecl, opts: ScrapeSelectorOptions): string[] {
  switch (metric.kind) {
    case 'events':
      // A selector the scrape cannot evaluate (PromQL) is named as such, not guessed.
      return [
        `bad: ${'promql' in metric.bad ? 'PromQL (needs a Prometheus source)' : counted(metric.bad as Selector, opts)}`,
        `total: ${'promql' in metric.total ? 'PromQL (needs a Prometheus source)' : counted(metric.total as Selector, opts)}`,
      ];
    case 'quantile':
      return [`buckets: ${selector(`${metric.histogram}_bucket`, undefined, opts)}`];
    default:
      return [];
  }
}
