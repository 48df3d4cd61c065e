import { describe, expect, it } from 'vitest';
import { dice } from '../sim/dice.ts';
import { pickTrack } from './split.ts';

describe('pickTrack', () => {
  it('sends about nextPercent of requests to next, none at 0 and all at 100', () => {
    for (const percent of [0, 5, 25, 50, 100]) {
      const roll = dice(`split-${percent}`);
      const next = Array.from({ length: 10_000 }, () => pickTrack(roll, percent)).filter((t) => t === 'next');
      // Binomial sd at 10 000 draws is at most 0.5 points; 2 points is over four sd.
      expect(Math.abs(next.length / 100 - percent)).toBeLessThanOrEqual(2);
    }
  });
});
