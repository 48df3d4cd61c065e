import { describe, expect, it } from 'vitest';
import { redact, scrubText } from './text.ts';

describe('scrubText', () => {
  it.each([
    ['mail alice@example.com now', 'mail [email] now'],
    ['call +44 7700 900123 today', 'call [phone] today'],
    ['call 8 (495) 123-45-67', 'call [phone]'],
    ['tel (212) 555-0142.', 'tel [phone].'],
    ['deliver to 221B Baker Street please', 'deliver to [address] please'],
    ['ул. Ленина, д. 5, кв 3', '[address], кв 3'],
    ['12 rue de la Paix', '[address]'],
    ['Hauptstraße 7, Berlin', '[address], Berlin'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it('leaves timestamps, values and ids alone', () => {
    const line =
      'order o-17 value 1299.99 at 2026-11-23T10:00:00Z on 2026-11-23 from 10.20.30.40 postcode 312345 took 1234 ms, 12.345 s, v1.2.3';
    expect(scrubText(line)).toBe(line);
  });
});

describe('redact', () => {
  it('censors PII keys at any depth and scrubs other strings', () => {
    const out = redact({
      order: { id: 'o-1', customer: { name: 'A' }, notes: 'x' },
      message: 'failed for bob@example.com',
    });
    expect(out).toEqual({
      order: { id: 'o-1', customer: '[redacted]', notes: '[redacted]' },
      message: 'failed for [email]',
    });
  });
});

describe('scrubText on hostile input', () => {
  // Catastrophic backtracking would take minutes to hours here; linear patterns take milliseconds.
  it.each([
    ['rue + one long word', `rue ${'a'.repeat(200_000)}`],
    ['rue + many words', `rue ${'ab '.repeat(60_000)}`],
    ['number + many words', `12 ${'ab '.repeat(60_000)}`],
    ['email-ish runs', `${'a.'.repeat(60_000)}@${'b.'.repeat(60_000)}`],
    ['digits and separators', '1-2 '.repeat(60_000)],
    ['letters', 'x'.repeat(300_000)],
  ])('%s', (_, text) => {
    const start = performance.now();
    scrubText(text);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
