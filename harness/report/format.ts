import type {
  Check,
  CheckStatus,
  Evidence,
  LayerName,
  MetricValue,
  Threshold,
} from '../../core/report/model.ts';

/**
 * Words and numbers shared by every renderer, so Markdown, JUnit and HTML say the
 * same thing in the same way. Plain words, no emoji: the verdict must survive any
 * terminal, CI log or screen reader.
 */

export const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  skipped: 'SKIPPED',
};

export const LAYER_TITLE: Record<LayerName, string> = {
  contracts: 'Contracts',
  replay: 'Replay and diff',
  scenarios: 'Load and fault scenarios',
  canary: 'Canary rollout',
};

/** What each layer asks, for readers who do not know the harness. */
export const LAYER_QUESTION: Record<LayerName, string> = {
  contracts: 'Does the release still speak the carriers’ and the warehouse’s language?',
  replay: 'Given yesterday’s real orders, does it make the same decisions and lose none?',
  scenarios: 'Does it hold its promises on a peak day, with a carrier down or slow?',
  canary: 'With a share of real traffic, is the new version as good as the current one?',
};

/** A value in its unit: ratios as percent, seconds with a unit, no data as words. */
export function formatValue(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'no data';
  switch (unit) {
    case 'ratio':
      return `${trim(value * 100, value !== 0 && Math.abs(value) < 0.01 ? 2 : 1)}%`;
    case 'seconds':
      return value < 1 ? `${trim(value * 1000, 0)} ms` : `${trim(value, 2)} s`;
    case 'per_second':
      return `${trim(value, 2)}/s`;
    default:
      return trim(value, Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2);
  }
}

function trim(x: number, digits: number): string {
  return Number(x.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatThreshold(threshold: Threshold, unit?: string): string {
  const op = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' }[threshold.op];
  return `${op} ${formatValue(threshold.value, unit)}`;
}

function formatMetricValue(v: MetricValue, unit?: string): string {
  const n = v.total ?? v.samples;
  return `${formatValue(v.value, unit)} (n=${n})`;
}

/**
 * One line of evidence: "canary 24% (n=158) vs baseline 2% (n=1204); mixture-sprt
 * e-value 412.7, threshold ≥ 20".
 */
export function evidenceSummary(evidence: Evidence): string {
  const parts: string[] = [];
  const unit = evidence.unit;
  if (evidence.canary || evidence.baseline) {
    const c = evidence.canary ? `canary ${formatMetricValue(evidence.canary, unit)}` : '';
    const b = evidence.baseline ? `baseline ${formatMetricValue(evidence.baseline, unit)}` : '';
    parts.push([c, b].filter(Boolean).join(' vs '));
  }
  if (evidence.observed !== undefined) parts.push(`observed ${formatValue(evidence.observed, unit)}`);
  const testParts: string[] = [];
  if (evidence.statistic)
    testParts.push(`${evidence.statistic.name} ${formatValue(evidence.statistic.value)}`);
  // A threshold applies to the statistic when there is one (an e-value has no unit),
  // else to the observed or canary value, in the metric's unit (see model.ts Threshold).
  if (evidence.threshold)
    testParts.push(`limit ${formatThreshold(evidence.threshold, evidence.statistic ? undefined : unit)}`);
  if (evidence.alpha !== undefined) testParts.push(`alpha ${evidence.alpha}`);
  if (evidence.test)
    parts.push(`test ${evidence.test}${testParts.length ? `: ${testParts.join(', ')}` : ''}`);
  else if (testParts.length) parts.push(testParts.join(', '));
  // What was queried, and where: a reviewer can rerun it (canary checks).
  const ran = evidence.details as { query?: unknown; source?: unknown } | undefined;
  if (typeof ran?.query === 'string')
    parts.push(`query ${ran.query}${typeof ran.source === 'string' ? ` on ${ran.source}` : ''}`);
  return parts.join('; ');
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${trim(s, 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "2026-11-27 09:26:30 UTC" — UTC, because reports travel between time zones. */
export function formatTime(iso: string | number | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Checks that did not pass, failures first, in gate order. */
export function problems(checks: readonly Check[]): Check[] {
  return [...checks.filter((c) => c.status === 'fail'), ...checks.filter((c) => c.status === 'inconclusive')];
}

export function shareText(share: number): string {
  return formatValue(share, 'ratio');
}
