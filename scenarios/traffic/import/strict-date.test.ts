import { describe, expect, it } from 'vitest';
import { strictDate } from './strict-date.ts';

describe('$date in map files', () => {
  const picture = '[D01]/[M01]/[Y0001] [H01]:[m01]';

  it('parses a date in a picture, or ISO 8601 without one, to an ISO date-time', async () => {
    expect(await strictDate('27/11/2026 09:14', picture)).toBe('2026-11-27T09:14:00.000Z');
    expect(await strictDate('2026-11-27T09:14:00+01:00')).toBe('2026-11-27T08:14:00.000Z');
    expect(await strictDate('')).toBeUndefined();
  });

  it('refuses a date that does not exist rather than rolling it over, and text that is no date', async () => {
    await expect(strictDate('31/13/2026 25:00', picture)).rejects.toThrow(/not a valid date in the picture/);
    await expect(strictDate('30/02/2026 10:00', picture)).rejects.toThrow(/not a valid date/);
    await expect(strictDate('yesterday')).rejects.toThrow(/not an ISO 8601 date/);
    await expect(strictDate(20261127)).rejects.toThrow(/must be text/);
  });
});
