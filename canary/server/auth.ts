import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time token check: both sides are hashed to fixed-length digests first, so
 * `timingSafeEqual` compares equal-length buffers and leaks neither content nor length.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}
