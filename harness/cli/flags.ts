import { InvalidArgumentError } from 'commander';

/**
 * Flag parsers shared by every command. Each throws commander's InvalidArgumentError,
 * which commander turns into a usage error (exit 2) naming the option and the value.
 */
type Parse<T> = (value: string) => T;

export function positiveNumber(flag: string): Parse<number> {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };
}

/** Whole numbers from `min` (default 1) to `max` (default unbounded). */
export function integer(flag: string, min = 1, max = Number.POSITIVE_INFINITY): Parse<number> {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range =
        max === Number.POSITIVE_INFINITY
          ? min === 1
            ? 'a positive integer'
            : `an integer ≥ ${min}`
          : `an integer from ${min} to ${max}`;
      throw new InvalidArgumentError(`${flag} must be ${range}, got "${value}"`);
    }
    return n;
  };
}

/** A number in [min, max] (shares, weights). */
export function numberIn(flag: string, min: number, max: number): Parse<number> {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/** One of a fixed list of words. */
export function oneOf<const T extends string>(flag: string, choices: readonly T[]): Parse<T> {
  return (value) => {
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** For repeatable options: `--allow-host a --allow-host b` → ['a', 'b']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Wraps any parser that throws a plain Error so commander reports it as a usage error. */
export function asFlag<T>(parse: Parse<T>): Parse<T> {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw error;
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}
