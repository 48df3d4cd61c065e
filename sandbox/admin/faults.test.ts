import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/prng.ts';
import type { Fault } from './api.ts';
import { decideFault, FaultTable, NO_LATENCY_PROFILE } from './faults.ts';
import { secretMatches } from './secret.ts';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const ctx = { now: NOW, operation: 'quote', region: 'NW' as const };
const never = () => 0.999_999;
const always = () => 0;

describe('decideFault', () => {
  it('passes with the profile latency when no fault is set', () => {
    const decision = decideFault(
      { ...NO_LATENCY_PROFILE, latency: { minMs: 10, maxMs: 10 } },
      [],
      ctx,
      never,
    );
    expect(decision).toEqual({ delayMs: 10, outcome: { type: 'pass' }, applied: [] });
  });

  it('composes latency faults: multiplier then added ms', () => {
    const faults: Fault[] = [
      { kind: 'latency', multiplier: 3 },
      { kind: 'latency', addMs: 50 },
    ];
    const decision = decideFault(
      { ...NO_LATENCY_PROFILE, latency: { minMs: 10, maxMs: 10 } },
      faults,
      ctx,
      never,
    );
    expect(decision.delayMs).toBe(80);
    expect(decision.applied).toEqual([0, 1]);
  });

  it('filters by region, operation and virtual-time window', () => {
    const outage: Fault = { kind: 'outage', regions: ['S'] };
    expect(decideFault(NO_LATENCY_PROFILE, [outage], ctx, always).outcome.type).toBe('pass');
    expect(decideFault(NO_LATENCY_PROFILE, [{ ...outage, regions: ['NW'] }], ctx, always).outcome).toEqual({
      type: 'error',
      status: 503,
    });
    expect(
      decideFault(NO_LATENCY_PROFILE, [{ kind: 'outage', operations: ['track'] }], ctx, always).outcome.type,
    ).toBe('pass');
    const later: Fault = { kind: 'outage', from: new Date(NOW + 1).toISOString() };
    expect(decideFault(NO_LATENCY_PROFILE, [later], ctx, always).outcome.type).toBe('pass');
    const over: Fault = { kind: 'outage', until: new Date(NOW).toISOString() };
    expect(decideFault(NO_LATENCY_PROFILE, [over], ctx, always).outcome.type).toBe('pass');
    // A region-scoped fault never touches a request of unknown region.
    expect(
      decideFault(NO_LATENCY_PROFILE, [{ ...outage, regions: ['NW'] }], { ...ctx, region: undefined }, always)
        .outcome.type,
    ).toBe('pass');
  });

  it('fires an error fault at about its rate', () => {
    const random = seededRandom(7);
    let errors = 0;
    for (let i = 0; i < 10_000; i++) {
      if (
        decideFault(NO_LATENCY_PROFILE, [{ kind: 'error', rate: 0.2, status: 500 }], ctx, random).outcome
          .type === 'error'
      )
        errors++;
    }
    // Binomial(10000, 0.2): sd = 40, so ±200 is five standard deviations.
    expect(Math.abs(errors - 2000)).toBeLessThan(200);
  });

  it('bounds a timeout hang and reports resets', () => {
    const hang = decideFault(NO_LATENCY_PROFILE, [{ kind: 'timeout', hangMs: 60_000 }], ctx, always).outcome;
    expect(hang).toEqual({ type: 'hang', ms: 60_000, faultId: undefined });
    expect(
      decideFault(NO_LATENCY_PROFILE, [{ kind: 'outage', mode: 'reset', id: 'r' }], ctx, always).outcome,
    ).toEqual({
      type: 'reset',
      faultId: 'r',
    });
  });

  it('counts applications per fault in the table', () => {
    const table = new FaultTable();
    table.replace([
      { kind: 'latency', addMs: 1 },
      { kind: 'outage', from: new Date(NOW + 1000).toISOString() },
    ]);
    table.recordApplied([0]);
    table.recordApplied([0]);
    expect(table.status(NOW).map((s) => [s.active, s.applied])).toEqual([
      [true, 2],
      [false, 0],
    ]);
    table.clear();
    expect(table.status(NOW)).toEqual([]);
  });
});

describe('secretMatches', () => {
  it('accepts only the exact secret, whatever the lengths', () => {
    expect(secretMatches('token', 'token')).toBe(true);
    expect(secretMatches('token ', 'token')).toBe(false);
    expect(secretMatches('', 'token')).toBe(false);
    expect(secretMatches(undefined, 'token')).toBe(false);
    expect(secretMatches('x'.repeat(10_000), 'token')).toBe(false);
  });
});
