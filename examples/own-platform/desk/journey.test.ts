import { describe, expect, it } from 'vitest';
import { historyAt, planJourney, stateAt } from './journey.ts';

const HOUR = 3_600_000;
const accepted = Date.parse('2027-03-01T21:30:00Z');

describe('journey', () => {
  it('promises the date transitDays after acceptance and delivers on it when on time', () => {
    const j = planJourney(accepted, 2, 0.04, 0.5);
    expect(j.promisedOn).toBe('2027-03-03');
    expect(j.late).toBe(false);
    expect(new Date(j.deliveredAt).toISOString()).toBe('2027-03-03T13:00:00.000Z');
    expect(j.deliveredAt).toBeGreaterThan(j.handedOverAt);
  });

  it('delivers the day after the promise when the draw falls in the late share', () => {
    const j = planJourney(accepted, 1, 0.04, 0.01);
    expect(j.late).toBe(true);
    expect(j.promisedOn).toBe('2027-03-02');
    expect(new Date(j.deliveredAt).toISOString()).toBe('2027-03-03T12:00:00.000Z');
  });

  it('moves accepted → packed → handed-over → delivered as the clock passes each step', () => {
    const j = planJourney(accepted, 1, 0, 0.9);
    expect(stateAt(j, accepted)).toBe('accepted');
    expect(stateAt(j, accepted + 2 * HOUR)).toBe('packed');
    expect(stateAt(j, accepted + 6 * HOUR)).toBe('handed-over');
    expect(stateAt(j, j.deliveredAt)).toBe('delivered');
    expect(historyAt(j, accepted + 3 * HOUR).map((s) => s.state)).toEqual(['accepted', 'packed']);
  });
});
