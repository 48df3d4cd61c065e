import { createHash } from 'node:crypto';

/**
 * mulberry32: a tiny seeded PRNG. Hand-written because the sandbox needs only
 * reproducible uniform draws per service, not cryptographic quality or a distribution
 * library; four lines beat a dependency here.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stable uniform [0, 1) from a string: the same order id always draws the same. */
export function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 4_294_967_296;
}
