import { describe, expect, it } from 'vitest';
import { type ComparedRequest, diffResponses } from './diff.ts';

const STATUS = 'GET /tickets/{id}/status';
const PUT = 'PUT /requests/{id}';

function requests(n: number, make: (i: number) => Partial<ComparedRequest>): ComparedRequest[] {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, endpoint: STATUS, diffs: [], ...make(i) }));
}

describe('raw response diff', () => {
  it('counts a field the baselines agree on as a real difference, grouped by endpoint and field', () => {
    const result = diffResponses(
      requests(10, (i) => ({
        diffs: i < 3 ? [{ field: 'body.carrier', from: '"gullwing"', to: '"homefleet"' }] : [],
        noise: [],
      })),
    );
    expect(result).toMatchObject({
      compared: 10,
      differing: 3,
      share: 0.3,
      verdict: 'fail',
      noiseLearned: true,
    });
    expect(result.fields).toEqual([
      expect.objectContaining({
        endpoint: STATUS,
        field: 'body.carrier',
        count: 3,
        noisy: false,
        baselineDisagreement: 0,
      }),
    ]);
    expect(result.fields[0]!.summary).toBe(
      'body.carrier changed "gullwing"→"homefleet" in 3 of 10 responses (30%) of GET /tickets/{id}/status',
    );
    expect(result.endpoints).toEqual([{ endpoint: STATUS, compared: 10, differing: 3, share: 0.3 }]);
  });

  it('ignores a field the baselines disagree on about as often (Diffy): the A/A passes', () => {
    const result = diffResponses(
      requests(10, (i) => ({
        diffs: i % 2 ? [{ field: 'body.history[].at', from: `"t${i}"`, to: `"u${i}"` }] : [],
        noise: i < 4 ? ['body.history[].at'] : [],
      })),
    );
    expect(result.fields[0]).toMatchObject({ noisy: true, count: 5, baselineDisagreement: 0.4 });
    expect(result).toMatchObject({ differing: 0, verdict: 'pass' });
  });

  it('still flags a noisy field the candidate changes far more often than the noise explains', () => {
    const result = diffResponses(
      requests(20, (i) => ({
        diffs: [{ field: 'body.eta', from: '"a"', to: '"b"' }],
        noise: i === 0 ? ['body.eta'] : [],
      })),
    );
    expect(result.fields[0]).toMatchObject({ noisy: false, count: 20, baselineDisagreement: 0.05 });
    expect(result.verdict).toBe('fail');
  });

  it('learns noise per endpoint, and without a second baseline every difference is real', () => {
    const mixed = [
      ...requests(4, () => ({ diffs: [{ field: 'status', from: '201', to: '503' }], noise: ['status'] })),
      ...requests(4, (i) => ({
        id: `p${i}`,
        endpoint: PUT,
        diffs: i === 0 ? [{ field: 'status', from: '201', to: '503' }] : [],
        noise: [],
      })),
    ];
    const result = diffResponses(mixed, { budget: 0.2 });
    expect(result.fields.map((f) => [f.endpoint, f.noisy])).toEqual([
      [PUT, false],
      [STATUS, true],
    ]);
    expect(result).toMatchObject({ differing: 1, share: 1 / 8, verdict: 'pass' });
    const without = diffResponses(mixed.map(({ noise: _n, ...r }) => r));
    expect(without).toMatchObject({ noiseLearned: false, differing: 5 });
  });

  it('passes with nothing compared only as an empty result (the section calls it inconclusive)', () => {
    expect(diffResponses([])).toMatchObject({
      compared: 0,
      differing: 0,
      summary: 'No request could be compared.',
    });
  });
});
