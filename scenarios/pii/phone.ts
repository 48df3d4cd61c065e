import type { Keyed } from './keyed.ts';

// ITU-T E.164 country codes of one and two digits; every other code has three.
const ONE_DIGIT = new Set(['1', '7']);
const TWO_DIGIT = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
);

/** The country calling code of an E.164 number's digits (without "+"). */
export function countryCode(digits: string): string {
  if (ONE_DIGIT.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (TWO_DIGIT.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/**
 * Replaces a phone's subscriber digits with keyed ones, keeping the "+", the country
 * code, the length and every separator: "+44 7700 900123" → "+44 3816 270945". An
 * E.164 phone stays valid E.164 in the same country. Numbers without "+" keep their
 * first digit (a trunk prefix such as 0 or 8).
 */
export function scrubPhone(keyed: Keyed, phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const international = phone.trimStart().startsWith('+');
  const keep = international ? countryCode(digits).length : 1;
  for (let attempt = 0; attempt < 8; attempt++) {
    const fresh = keyed.digits('phone', digits, digits.length, attempt);
    let index = 0;
    const out = phone.replace(/\d/g, (digit) => {
      const at = index++;
      return at < keep ? digit : fresh[at]!;
    });
    if (out !== phone) return out;
  }
  // Eight keyed draws all equal to the original: only possible for absurdly short input.
  return phone.replace(/\d/g, '0');
}
