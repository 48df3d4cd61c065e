import { describe, expect, it } from 'vitest';
import { failedCanaryReport } from './fixtures/reports.ts';
import { redactPii, redactText } from './redact.ts';

describe('redactPii', () => {
  it('replaces emails and E.164 phones in any string, and reports where', () => {
    const report = failedCanaryReport();
    const check = report.layers.canary!.checks[0]!;
    check.message = 'carrier said: recipient jane.doe+x@example.co.uk (+49 151 2345 6789) unreachable';
    check.evidence.details = { actual: '+4915123456789', 'ops@carrier.example': 1 };
    const { value, paths } = redactPii(report);
    const c = value.layers.canary!.checks[0]!;
    expect(c.message).toBe('carrier said: recipient [email redacted] ([phone redacted]) unreachable');
    expect(c.evidence.details).toEqual({ actual: '[phone redacted]', '[email redacted]': 1 });
    expect(paths).toEqual([
      '/layers/canary/checks/0/message',
      '/layers/canary/checks/0/evidence/details/actual',
      '/layers/canary/checks/0/evidence/details/[email redacted]',
    ]);
    expect(report.layers.canary!.checks[0]!.message).toContain('jane.doe'); // the input is not mutated
  });

  it('leaves order ids, versions, times, numbers and percentages alone', () => {
    const report = failedCanaryReport();
    const { value, paths } = redactPii(report);
    expect(paths).toEqual([]);
    expect(value).toEqual(report);
    for (const text of [
      'ord-20261127-00412',
      '2.4.0-rc.3',
      '2026-11-27T09:00:00.000Z',
      'e-value 412.7 ≥ 20',
      '+25% traffic',
      'a+b@c',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });
});
