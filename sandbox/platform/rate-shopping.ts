import type { RateQuote } from '../../contracts/domain/shipping.ts';
import { DAYS } from './dispatch.ts';

/**
 * Carrier selection: the cheapest quote whose predicted delivery keeps the promise;
 * if none can, the fastest (a late parcel is better late by less). Ties go to the
 * faster quote. Pure, so the replay diff and tests can reason about it.
 */
export interface RatedOption {
  quote: RateQuote;
  predictedDeliveryAt: number;
  meetsPromise: boolean;
}

export function rateOptions(quotes: RateQuote[], dispatchAt: number, promisedBy: number): RatedOption[] {
  return quotes.map((quote) => {
    const predictedDeliveryAt = dispatchAt + DAYS(quote.transitDays);
    return { quote, predictedDeliveryAt, meetsPromise: predictedDeliveryAt <= promisedBy };
  });
}

/** Options in the order the platform tries them (the next one is the failover). */
export function rankOptions(
  options: RatedOption[],
  policy: 'keep-promise' | 'cheapest' = 'keep-promise',
): RatedOption[] {
  const byPrice = (a: RatedOption, b: RatedOption) =>
    a.quote.price - b.quote.price || a.predictedDeliveryAt - b.predictedDeliveryAt;
  if (policy === 'cheapest') return [...options].sort(byPrice);
  const onTime = options.filter((o) => o.meetsPromise).sort(byPrice);
  const late = options
    .filter((o) => !o.meetsPromise)
    .sort((a, b) => a.predictedDeliveryAt - b.predictedDeliveryAt || a.quote.price - b.quote.price);
  return [...onTime, ...late];
}
