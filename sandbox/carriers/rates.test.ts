import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../contracts/domain/order.ts';
import { CARRIERS } from '../../contracts/domain/shipping.ts';
import { CARRIER_CATALOGUE } from './catalogue.ts';
import { quoteAll, sampleTransitDays, triangularQuantile } from './rates.ts';

describe('carrier rate and transit model', () => {
  it('samples the same transit for the same shipment id', () => {
    const spec = CARRIER_CATALOGUE.parcelly;
    const lane = { from: 'C' as const, to: 'E' as const, weightKg: 2 };
    expect(sampleTransitDays(spec, spec.services[1]!, lane, 'shp_1')).toBe(
      sampleTransitDays(spec, spec.services[1]!, lane, 'shp_1'),
    );
    expect(sampleTransitDays(spec, spec.services[1]!, lane, 'shp_1')).not.toBe(
      sampleTransitDays(spec, spec.services[1]!, lane, 'shp_2'),
    );
  });

  it('delivers most parcels within the advertised days, but not all', () => {
    let lateAll = 0;
    let all = 0;
    for (const name of CARRIERS) {
      const spec = CARRIER_CATALOGUE[name];
      for (const region of REGIONS) {
        const lane = { from: 'C' as const, to: region, weightKg: 1 };
        for (const quote of quoteAll(spec, lane)) {
          let late = 0;
          for (let i = 0; i < 500; i++)
            if (sampleTransitDays(spec, quote.service, lane, `id-${i}`) > quote.advertisedDays) late++;
          expect(late / 500).toBeLessThan(0.2);
          lateAll += late;
          all += 500;
        }
      }
    }
    // Late deliveries exist (so on-time rate means something) but are rare.
    expect(lateAll / all).toBeGreaterThan(0.01);
    expect(lateAll / all).toBeLessThan(0.1);
  });

  it('makes every carrier best somewhere on standard service', () => {
    const winners = new Set<string>();
    for (const region of REGIONS) {
      const lane = { from: 'C' as const, to: region, weightKg: 1.5 };
      const best = CARRIERS.map((name) => ({
        name,
        quote: quoteAll(CARRIER_CATALOGUE[name], lane).find((q) => q.service.level === 'standard')!,
      })).sort((a, b) => a.quote.modeDays - b.quote.modeDays)[0]!;
      winners.add(best.name);
    }
    expect([...winners].sort()).toEqual([...CARRIERS].sort());
  });

  it('inverts the triangular CDF at its ends and mode', () => {
    const d = { min: 1, mode: 2, max: 4 };
    expect(triangularQuantile(d, 0)).toBe(1);
    expect(triangularQuantile(d, 1)).toBe(4);
    expect(triangularQuantile(d, 1 / 3)).toBeCloseTo(2, 10);
  });
});
