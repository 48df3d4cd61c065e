import { describe, expect, it } from 'vitest';
import { Fault } from '../../contracts/carriers/admin/api.ts';
import { validator } from '../../core/schema/validate.ts';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import { describeFault, placeFaults } from './faults.ts';

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
