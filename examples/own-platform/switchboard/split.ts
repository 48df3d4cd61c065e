import type { Dice } from '../sim/dice.ts';

/**
 * The switchboard's split: each request goes to `next` with probability nextPercent/100,
 * otherwise to `current`. Stateless per request; the order book behind both builds is
 * shared, so a status read or a retry may land on either.
 */
export type Track = 'current' | 'next';

export function pickTrack(roll: Dice, nextPercent: number): Track {
  return roll() * 100 < nextPercent ? 'next' : 'current';
}
