import { describe, expect, it } from 'vitest';
import { Fault } from '../../contracts/carriers/admin/api.ts';
import { isShipgateError, type ShipgateError } from '../../core/errors.ts';
import { validator } from '../../core/schema/validate.ts';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import { assertFaultsApplicable, describeFault, placeFaults } from './faults.ts';

const check = validator(Fault);

describe('fault placement', () => {
  it('turns hour offsets into virtual-time windows the admin API accepts', () => {
    const start = Date.parse('2026-11-27T08:00:00Z');
    const [p] = placeFaults(SCENARIOS.find((s) => s.name === 'carrier-outage')!.faults, start);
    expect(p).toMatchObject({
      target: 'parcelly',
      fault: {
        kind: 'outage',
        status: 503,
        from: '2026-11-27T10:00:00.000Z',
        until: '2026-11-27T14:00:00.000Z',
      },
    });
    expect(describeFault(p!)).toBe('parcelly: outage (503) 10:00–14:00');
    for (const scenario of SCENARIOS) {
      for (const placed of placeFaults(scenario.faults, start)) {
        expect(check(placed.fault).ok, `${scenario.name}`).toBe(true);
      }
    }
    const [slow] = placeFaults(SCENARIOS.find((s) => s.name === 'slow-carrier')!.faults, start);
    expect(slow!.fault.from).toBeUndefined();
    expect(describeFault(slow!)).toBe('steppe: latency ×20 +150 ms all run');
  });
});

describe('fault applicability', () => {
  const outage = SCENARIOS.find((s) => s.name === 'carrier-outage')!;
  it('a scenario with faults against a target without their admin API is a usage error naming them', () => {
    let caught: unknown;
    try {
      assertFaultsApplicable(outage, undefined, 'kestrel (http://127.0.0.1:4000)');
    } catch (error) {
      caught = error;
    }
    expect(isShipgateError(caught)).toBe(true);
    const error = caught as ShipgateError;
    expect(error.code).toBe('SG_SCENARIO_FAULTS_UNSUPPORTED');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('scenario carrier-outage injects faults');
    expect(error.message).toContain('parcelly: outage (503) 10:00–14:00');
    expect(error.message).toContain('kestrel (http://127.0.0.1:4000) has none for parcelly');
    // An admin API for another service does not cover this one.
    expect(() =>
      assertFaultsApplicable(outage, { urls: { steppe: 'http://127.0.0.1:1' }, token: 't' }, 'x'),
    ).toThrow(/has none for parcelly/);
  });

  it('passes when every fault target has an admin URL, and for scenarios without faults', () => {
    expect(() =>
      assertFaultsApplicable(outage, { urls: { parcelly: 'http://127.0.0.1:1' }, token: 't' }, 'x'),
    ).not.toThrow();
    expect(() =>
      assertFaultsApplicable(SCENARIOS.find((s) => s.name === 'peak-day')!, undefined, 'x'),
    ).not.toThrow();
  });
});
