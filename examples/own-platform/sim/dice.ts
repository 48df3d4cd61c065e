/**
 * Seeded dice for the example platform: mulberry32 over a 32-bit state, seeded by FNV-1a
 * of a text. Small and ours, so a run with the same seed makes the same choices (which
 * build takes an order, which orders arrive late, which requests a brownout drops).
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A generator of uniform numbers in [0, 1). */
export type Dice = () => number;

export function dice(seed: string | number): Dice {
  let state = fnv1a(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw tied to a key: the same key and seed always give the same number. */
export function drawFor(seed: string | number, key: string): number {
  return dice(`${seed}/${key}`)();
}
