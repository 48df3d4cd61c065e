import { describe, expect, it } from 'vitest';
import { validateExtraScenarios } from '../run/select.ts';
import { SCENARIOS } from './catalogue.ts';
import { checkScenario } from './schema.ts';

describe('scenario schema (users’ own scenarios)', () => {
  it('accepts every catalogue scenario', () => {
    for (const s of SCENARIOS) expect(checkScenario(s).ok, s.name).toBe(true);
  });

  it('names the field at fault, with the config file and key', () => {
    const bad = structuredClone(SCENARIOS.find((s) => s.name === 'carrier-outage')!) as unknown as {
      faults: { kind: string }[];
    };
    bad.faults[0]!.kind = 'meltdown';
    const result = checkScenario(bad);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('faults.0.kind');
    expect(() => validateExtraScenarios([SCENARIOS[0], bad], 'shipgate.config.ts')).toThrow(
      /shipgate\.config\.ts: scenarios\.extra\[1\]: faults\.0\.kind/,
    );
  });
});
