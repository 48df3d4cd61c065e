import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * Keyed pseudonym material: HMAC-SHA256(key, domain ∥ attempt ∥ value). The domain
 * separates fields (the same string as a name and as a city gives unrelated output);
 * `attempt` lets a caller re-draw when a pseudonym happens to equal its original.
 */
export class Keyed {
  readonly #key: KeyObject;
  constructor(key: string | Buffer) {
    // A KeyObject once, rather than the raw key on every HMAC: no re-encoding per call.
    this.#key = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  }

  bytes(domain: string, value: string, attempt = 0): Buffer {
    return createHmac('sha256', this.#key).update(`${domain}\u0000${attempt}\u0000${value}`).digest();
  }

  /** An index in [0, n) (modulo bias below 2^-32 n, irrelevant for pool picks). */
  pick<T>(list: readonly T[], domain: string, value: string, attempt = 0): T {
    return list[this.bytes(domain, value, attempt).readUInt32BE(0) % list.length]!;
  }

  /** `count` decimal digits (at most 32). */
  digits(domain: string, value: string, count: number, attempt = 0): string {
    const bytes = this.bytes(domain, value, attempt);
    let out = '';
    for (let i = 0; i < count; i++) out += String(bytes[i % bytes.length]! % 10);
    return out;
  }

  /** A lowercase base-32 token (letters and digits 2–7), `length` ≤ 51. */
  token(domain: string, value: string, length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const bytes = this.bytes(domain, value);
    let out = '';
    let bits = 0;
    let acc = 0;
    for (const byte of bytes) {
      acc = (acc << 8) | byte;
      bits += 8;
      while (bits >= 5 && out.length < length) {
        out += alphabet[(acc >>> (bits - 5)) & 31];
        bits -= 5;
      }
      acc &= (1 << bits) - 1;
    }
    return out;
  }
}
