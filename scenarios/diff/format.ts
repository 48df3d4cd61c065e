/** The pseudo-field for an order one side has and the other does not. */
export const PRESENCE_FIELD = '(presence)';

/** A share as a percentage a reader can take in: 12%, 0.4%, 0%. */
export function pct(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}
