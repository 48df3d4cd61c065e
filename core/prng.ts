import { createHash } from 'node:crypto';

/**
 * xoshiro128** (Blackman & Vigna), seeded from SHA-256 of the seed string.
 * Hand-written rather than a package because generated days must be byte-identical
 * across machines, Node versions and dependency updates for years (benchmarks and
 * golden tests compare them): twenty lines we own cannot change under us, and
 * Math.random cannot be seeded. 128 bits of state, period 2^128 − 1: ample for a
 * million orders × a few dozen draws each. This module is shipgate's one source of
 * seeded randomness: generated traffic and scenarios here (Rng), the sandbox's world and
 * test fixtures below (seededRandom).
 */
export class Rng {
  #s: Uint32Array;

  constructor(seed: string | number) {
    const digest = createHash('sha256').update(String(seed)).digest();
    this.#s = new Uint32Array([
      digest.readUInt32LE(0),
      digest.readUInt32LE(4),
      digest.readUInt32LE(8),
      digest.readUInt32LE(12),
    ]);
    if (this.#s.every((word) => word === 0)) this.#s[0] = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `items`, with probability proportional to `weight(item)`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let r = this.next() * total;
    for (const [item, weight] of items) {
      r -= weight;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/**
 * A generator of floats in [0, 1) from a 32-bit seed or a string: mulberry32, seeded
 * through FNV-1a. The sandbox's world draws here (its catalogue, stock, transit times):
 * it seeds one generator per shipment id, so seeding must cost nothing (no SHA-256),
 * and a dozen lines we own keep the world reproducible from its seed for good.
 */
export function seededRandom(seed: string | number): () => number {
  let state = (typeof seed === 'number' ? seed : hashString(seed)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a string (FNV-1a), to seed a generator from an id. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One float in [0, 1) determined by a string and a salt (e.g. a transit time from a shipment id). */
export function uniformFrom(text: string, salt = ''): number {
  return seededRandom(`${salt}:${text}`)();
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
