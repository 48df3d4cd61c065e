import type { JudgedMetric } from './types.ts';

/** Small formatting helpers so every judge's sentences read the same way. */

export function pct(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const v = x * 100;
  return `${v < 1 && v > 0 ? v.toFixed(2) : v.toFixed(1)}%`;
}

export function num(x: number | null, digits = 3): string {
  if (x === null) return 'n/a';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (!Number.isFinite(x)) return 'n/a';
  // Beyond 15 digits String() switches to exponent notation, which digit grouping would mangle.
  if (Math.abs(x) >= 1e15) return x.toExponential(1).replace('e+', '×10^');
  // Digit grouping by hand: toLocaleString is slow enough to dominate simulated benchmarks.
  if (Math.abs(x) >= 1000) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Number(x.toPrecision(digits)).toString();
}

export function valueText(metric: JudgedMetric, value: number | null): string {
  if (metric.unit === 'ratio') return pct(value);
  if (metric.unit === 'seconds') return value === null ? 'n/a' : `${num(value)}s`;
  return num(value);
}

/** The reported value of an events metric: bad/total, or good/total when reported as a success rate. */
export function reportedRatio(metric: JudgedMetric, bad: number, total: number): number | null {
  if (!(total > 0)) return null;
  const ratio = bad / total;
  return metric.reportAs === 'good-ratio' ? 1 - ratio : ratio;
}

/** Counts a source could really have produced: finite, non-negative, bad ≤ total. */
export function validCounts(c: { bad: number; total: number } | null): boolean {
  return (
    c !== null &&
    Number.isFinite(c.bad) &&
    Number.isFinite(c.total) &&
    c.bad >= 0 &&
    c.total >= 0 &&
    c.bad <= c.total
  );
}

/**
 * What α bounds, in plain words: P(rollback | the canary is no worse) ≤ α, the chance
 * that a release as good as the current one is ever rolled back — not the chance that
 * a given rollback is a false one, which depends on how often releases are bad.
 */
export function alphaMeaning(alpha: number): string {
  return `a release as good as the current one would be rolled back this way at most ${num(alpha * 100)}% of the time`;
}
