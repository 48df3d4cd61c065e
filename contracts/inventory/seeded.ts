/**
 * Deterministic pseudo-randomness for the sandbox world: the SKU catalogue, stock levels,
 * transit times sampled from a shipment id. Hand-written (a dozen lines) because the
 * world must be reproducible from a seed in production code, where fast-check's
 * generators do not belong; mulberry32 and FNV-1a are well-known, tiny and fast enough.
 */

/** A generator of floats in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a string (FNV-1a), to seed a generator from an id. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One float in [0, 1) determined by a string and a salt. */
export function uniformFrom(text: string, salt = ''): number {
  return seededRandom(hashString(`${salt}:${text}`))();
}
