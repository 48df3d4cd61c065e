import { describe, expect, it } from 'vitest';
import { cutoffMissed, nextCutoff } from './dispatch.ts';

const at = (iso: string) => Date.parse(iso);

describe('dispatch schedule', () => {
  it('sends an order ready before the cutoff the same day, after it the next day', () => {
    expect(nextCutoff(at('2026-11-23T15:59:00Z'))).toBe(at('2026-11-23T16:00:00Z'));
    expect(nextCutoff(at('2026-11-23T16:00:00Z'))).toBe(at('2026-11-23T16:00:00Z'));
    expect(nextCutoff(at('2026-11-23T16:00:01Z'))).toBe(at('2026-11-24T16:00:00Z'));
  });

  it('counts a cutoff as missed only when the order arrived in time for it', () => {
    const leaves = (ready: string) => nextCutoff(at(ready));
    expect(cutoffMissed(at('2026-11-23T15:50:00Z'), leaves('2026-11-23T16:10:00Z'))).toBe(true);
    expect(cutoffMissed(at('2026-11-23T16:05:00Z'), leaves('2026-11-23T16:10:00Z'))).toBe(false);
    expect(cutoffMissed(at('2026-11-23T10:00:00Z'), leaves('2026-11-23T10:00:01Z'))).toBe(false);
  });
});
