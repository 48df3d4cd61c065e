import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../contracts/platform/api.ts';
import { reportOfSandboxState } from '../platform/sandbox.ts';
import type { OrderReport } from '../platform/types.ts';
import { diffRuns } from './diff.ts';
import { learnNoise } from './noise.ts';
import { normalizeState } from './normalize.ts';

const REGIONS = ['C', 'N', 'NW', 'S', 'E'] as const;

function state(i: number, overrides: Partial<OrderState> = {}): OrderState {
  const accepted = Date.UTC(2030, 0, 1) + i * 60_000;
  return {
    orderId: `o-${i}`,
    version: 'stable',
    status: 'shipped',
    outcome: 'shipped',
    region: REGIONS[i % REGIONS.length]!,
    serviceLevel: i % 2 ? 'standard' : 'express',
    value: 100 + i,
    vip: false,
    promisedBy: new Date(accepted + 3 * 86_400_000).toISOString(),
    acceptedAt: new Date(accepted).toISOString(),
    processedAt: new Date(accepted + 1000).toISOString(),
    processingMs: 30 + (i % 7),
    carrier: 'labelfast',
    service: 'std',
    shipmentId: `shp-${i}-${Math.random()}`,
    trackingNumber: `TRK${i}${Math.random()}`,
    price: 12.3456,
    predictedDeliveryAt: new Date(accepted + 2 * 86_400_000).toISOString(),
    ...overrides,
  };
}

function run(
  n: number,
  change: (i: number, s: OrderState) => OrderState = (_, s) => s,
): Map<string, OrderReport> {
  return new Map(Array.from({ length: n }, (_, i) => [`o-${i}`, reportOfSandboxState(change(i, state(i)))]));
}

describe('normalizeState', () => {
  it('drops per-run ids and absolute times, rounds prices, keeps slack against the promise', () => {
    const n = normalizeState(state(1, { price: 12.3456 }));
    expect(n).not.toHaveProperty('shipmentId');
    expect(n).not.toHaveProperty('processedAt');
    expect(n).not.toHaveProperty('version');
    expect(n.price).toBe(12.35);
    expect(n.etaSlackHours).toBe(24);
  });

  it('is blind to a clock shift of the whole run', () => {
    const a = state(3);
    const shift = (iso?: string) => (iso ? new Date(Date.parse(iso) + 7 * 86_400_000).toISOString() : iso);
    const b = {
      ...a,
      acceptedAt: shift(a.acceptedAt)!,
      promisedBy: shift(a.promisedBy)!,
      predictedDeliveryAt: shift(a.predictedDeliveryAt),
    };
    expect(normalizeState(b)).toEqual(normalizeState(a));
  });
});

describe('diffRuns', () => {
  it('passes identical decisions despite different shipment ids and timestamps', () => {
    const result = diffRuns({ baseline: run(50), candidate: run(50) });
    expect(result).toMatchObject({ compared: 50, ordersWithDiffs: 0, verdict: 'pass', groups: [] });
    expect(result.summary).toBe('No unexpected differences in 50 orders.');
  });

  it('names the region and the carrier change when the candidate reroutes one region', () => {
    const candidate = run(100, (_, s) =>
      s.region === 'NW' ? { ...s, carrier: 'steppe', service: '233', price: 9.5 } : s,
    );
    const result = diffRuns({ baseline: run(100), candidate });
    expect(result.verdict).toBe('fail');
    expect(result.ordersWithDiffs).toBe(20);
    const [group] = result.groups;
    expect(group).toMatchObject({ field: 'carrier', from: 'labelfast', to: 'steppe', count: 20, share: 0.2 });
    expect(group!.attributes).toEqual({ region: 'NW' });
    expect(group!.summary).toBe('carrier changed labelfast→steppe in 20% of orders, all in region NW');
    expect(group!.sampleOrderIds).toHaveLength(5);
    expect(result.summary).toContain('all in region NW');
    expect(result.byField).toEqual([{ field: 'carrier', count: 20, share: 0.2, noisy: false }]);
  });

  it('says "mostly" when a change concentrates in one region without being confined to it', () => {
    const candidate = run(100, (i, s) =>
      s.region === 'NW' || i === 1 ? { ...s, status: 'failed', outcome: 'error' } : s,
    );
    const result = diffRuns({ baseline: run(100), candidate }, { budget: 0.5 });
    const status = result.groups.find((g) => g.field === 'status')!;
    expect(status.summary).toBe(
      'status changed shipped→failed (error) in 21% of orders, mostly (95%) in region NW',
    );
    expect(status.attributes).toEqual({});
    expect(result.verdict).toBe('pass');
  });

  it('reports a changed fate once, not its consequences (no carrier, no price on a failed order)', () => {
    const candidate = run(10, (i, s) => {
      if (i !== 2) return s;
      const { carrier: _c, price: _p, predictedDeliveryAt: _e, ...rest } = s;
      return { ...rest, status: 'rejected', outcome: 'no_carrier', reason: 'no carrier serves 100001' };
    });
    const result = diffRuns({ baseline: run(10), candidate }, { budget: 0.5 });
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({
      field: 'status',
      from: 'shipped',
      to: 'rejected (no_carrier)',
      count: 1,
    });
  });

  it('leaves out orders the baseline could not process, but counts the candidate failing where the baseline decided', () => {
    const failed = {
      status: 'failed',
      outcome: 'error',
      reason: 'inventory reserve: no answer within 5000 ms',
    } as const;
    const baseline = run(20, (i, s) => (i < 4 ? { ...s, ...failed } : s));
    const candidate = run(20, (i, s) => (i === 10 ? { ...s, ...failed } : s));
    const result = diffRuns({ baseline, candidate }, { budget: 0 });
    expect(result).toMatchObject({ compared: 16, incomparable: 4, ordersWithDiffs: 1, verdict: 'fail' });
    expect(result.groups[0]!.summary).toMatch(/^status changed shipped→failed \(error\) in 6% of orders/);
    expect(result.summary).toContain('4 orders the baseline failed to process were not compared.');
    expect(diffRuns({ baseline, candidate }, { excludeBaselineErrors: false }).compared).toBe(20);
  });

  it('counts orders missing on one side as differences', () => {
    const candidate = run(10);
    candidate.delete('o-4');
    const result = diffRuns({ baseline: run(10), candidate }, { budget: 0 });
    expect(result.missingInCandidate).toEqual(['o-4']);
    expect(result.verdict).toBe('fail');
    expect(result.groups[0]!.summary).toMatch(/^order missing from the candidate in 10% of orders/);
  });

  it('learns noisy fields from a second baseline and ignores them for the verdict', () => {
    // The platform's ETA wobbles by an hour between identical runs; the candidate's too.
    const wobble = (i: number, s: OrderState) =>
      i % 3 === 0
        ? {
            ...s,
            predictedDeliveryAt: new Date(Date.parse(s.predictedDeliveryAt!) + 3_600_000).toISOString(),
          }
        : s;
    const baseline = run(60);
    const second = run(60, wobble);
    const candidate = run(60, (i, s) => wobble(i + 1, s));
    const noise = learnNoise(baseline, second);
    expect([...noise.fields]).toEqual(['etaSlackHours']);
    const without = diffRuns({ baseline, candidate });
    expect(without.verdict).toBe('fail');
    const withNoise = diffRuns({ baseline, candidate, secondBaseline: second });
    expect(withNoise).toMatchObject({ verdict: 'pass', ordersWithDiffs: 0, noisyFields: ['etaSlackHours'] });
    expect(withNoise.groups.every((g) => g.noisy)).toBe(true);
    expect(withNoise.groups[0]!.summary).toContain('also between two baseline runs (noise)');
    expect(withNoise.byField[0]).toMatchObject({
      field: 'etaSlackHours',
      noisy: true,
      baselineDisagreement: 20 / 60,
    });
    // A real change next to the noise is still caught.
    const both = diffRuns({
      baseline,
      secondBaseline: second,
      candidate: run(60, (i, s) => ({ ...wobble(i + 1, s), carrier: 'parcelly' })),
    });
    expect(both.verdict).toBe('fail');
    expect(both.groups[0]).toMatchObject({ field: 'carrier', share: 1 });
  });

  it('property: share = ordersWithDiffs / compared, groups never overlap within a field, verdict follows the budget', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ carrier: fc.constantFrom('labelfast', 'steppe', 'parcelly'), keep: fc.boolean() }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (changes, budget) => {
          const baseline = run(changes.length);
          const candidate = new Map<string, OrderReport>();
          changes.forEach((c, i) => {
            if (c.keep)
              candidate.set(
                `o-${i}`,
                reportOfSandboxState(state(i, { carrier: c.carrier as OrderState['carrier'] })),
              );
          });
          const result = diffRuns({ baseline, candidate }, { budget });
          expect(result.share).toBeCloseTo(result.ordersWithDiffs / result.compared);
          const expected = changes.filter((c) => !c.keep || c.carrier !== 'labelfast').length;
          expect(result.ordersWithDiffs).toBe(expected);
          const perField = new Map<string, number>();
          for (const g of result.groups) perField.set(g.field, (perField.get(g.field) ?? 0) + g.count);
          for (const f of result.byField) expect(perField.get(f.field)).toBe(f.count);
          expect(result.verdict).toBe(result.share <= budget ? 'pass' : 'fail');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('groups a numeric field by direction and median shift, not by exact from→to values', () => {
    const HOUR = 3_600_000;
    // Delivered with slack 10..209 h in the baseline; the candidate delivers 1–3 h later
    // for most orders and 1 h earlier for a few: two groups, not ~200 groups of one.
    const delivered = (i: number, s: OrderState, shiftHours: number) => ({
      ...s,
      deliveredAt: new Date(Date.parse(s.promisedBy) - (10 + i) * HOUR + shiftHours * HOUR).toISOString(),
    });
    const baseline = run(200, (i, s) => delivered(i, s, 0));
    const candidate = run(200, (i, s) => delivered(i, s, i % 10 === 0 ? -1 : 1 + (i % 3)));
    const result = diffRuns({ baseline, candidate });
    const slack = result.groups.filter((g) => g.field === 'deliverySlackHours');
    expect(slack.map((g) => g.summary)).toEqual([
      'deliverySlackHours shifted −2 h median (−3 to −1 h) in 90% of orders',
      // every 10th order: region C and express in this fixture, which the summary names
      'deliverySlackHours shifted +1 h median in 10% of orders, all in region C, service level express',
    ]);
    expect(slack.map((g) => g.count)).toEqual([180, 20]);
    expect(slack[0]).not.toHaveProperty('from');
    // A categorical field keeps its from→to.
    const carriers = diffRuns({
      baseline: run(10),
      candidate: run(10, (_, s) => ({ ...s, carrier: 'steppe' })),
    });
    expect(carriers.groups[0]!.summary).toMatch(/^carrier changed labelfast→steppe in 100% of orders/);
  });

  it('classifies a dispatch a day later by the build that reached the order later as timing noise, not a changed decision', () => {
    const HOUR = 3_600_000;
    const timed = (s: OrderState, processedLateHours: number, dispatchDays: number) => {
      const dispatch = Date.parse(s.processedAt!) + 2 * HOUR + dispatchDays * 24 * HOUR;
      return {
        ...s,
        processedAt: new Date(Date.parse(s.processedAt!) + processedLateHours * HOUR).toISOString(),
        dispatchAt: new Date(dispatch).toISOString(),
        cutoffMissed: dispatchDays > 0,
        deliveredAt: new Date(dispatch + 30 * HOUR).toISOString(),
      };
    };
    const baseline = run(40, (_, s) => timed(s, 0, 0));
    // Under load the candidate reached every 4th order an hour later, past the cutoff.
    const candidate = run(40, (i, s) => timed(s, i % 4 === 0 ? 1 : 0, i % 4 === 0 ? 1 : 0));
    const result = diffRuns({ baseline, candidate });
    expect(result).toMatchObject({ ordersWithDiffs: 0, timingNoise: 10, verdict: 'pass' });
    expect(result.groups.every((g) => g.noisy)).toBe(true);
    expect(result.groups.find((g) => g.field === 'deliverySlackHours')?.summary).toMatch(
      /^deliverySlackHours shifted −24 h median in 25% of orders.*\(timing noise\)$/,
    );
    expect(result.summary).toContain('10 orders differed only in when they left the warehouse');

    // Dispatched later although it finished earlier: that is the build's decision.
    const earlier = run(40, (i, s) => timed(s, i % 4 === 0 ? -1 : 0, i % 4 === 0 ? 1 : 0));
    expect(diffRuns({ baseline, candidate: earlier })).toMatchObject({
      ordersWithDiffs: 10,
      timingNoise: 0,
      verdict: 'fail',
    });
    // Another carrier as well: a decision, whatever the timing.
    const rerouted = run(40, (i, s) => ({
      ...timed(s, i % 4 === 0 ? 1 : 0, i % 4 === 0 ? 1 : 0),
      ...(i % 4 === 0 ? { carrier: 'steppe' as const } : {}),
    }));
    expect(diffRuns({ baseline, candidate: rerouted })).toMatchObject({
      ordersWithDiffs: 10,
      timingNoise: 0,
    });
  });
});
