import { describe, expect, it } from 'vitest';
import type { RateQuote } from '../../contracts/domain/shipping.ts';
import { rankOptions, rateOptions } from './rate-shopping.ts';

const quote = (carrier: RateQuote['carrier'], price: number, transitDays: number): RateQuote => ({
  carrier,
  service: `${carrier}-svc`,
  serviceLevel: 'standard',
  quoteRef: `${carrier}-${price}`,
  price,
  currency: 'EUR',
  transitDays,
});

describe('rate shopping', () => {
  const dispatchAt = Date.parse('2026-11-23T16:00:00Z');
  const promisedBy = Date.parse('2026-11-26T20:00:00Z');
  const quotes = [quote('steppe', 3, 6), quote('parcelly', 7, 2), quote('labelfast', 5, 3)];

  it('buys the cheapest quote that keeps the promise, with the rest as failover', () => {
    const ranked = rankOptions(rateOptions(quotes, dispatchAt, promisedBy));
    expect(ranked.map((o) => o.quote.carrier)).toEqual(['labelfast', 'parcelly', 'steppe']);
    expect(ranked[2]!.meetsPromise).toBe(false);
  });

  it('falls back to the fastest when no quote keeps the promise', () => {
    const ranked = rankOptions(rateOptions(quotes, dispatchAt, dispatchAt + 3_600_000));
    expect(ranked[0]!.quote.carrier).toBe('parcelly');
  });

  it('the cheapest policy ignores the promise', () => {
    expect(rankOptions(rateOptions(quotes, dispatchAt, promisedBy), 'cheapest')[0]!.quote.carrier).toBe(
      'steppe',
    );
  });
});
