import { describe, expect, it } from 'vitest';
import { validateReport } from '../../core/report/validate.ts';
import { k6Section, parseThreshold } from './k6-import.ts';

const summary = (ok: boolean) => ({
  metrics: {
    'http_req_duration{name:intake}': {
      type: 'trend',
      values: { 'p(95)': ok ? 120 : 1840, 'p(99)': 300 },
      thresholds: { 'p(95)<=1000': { ok }, 'p(99)<=2000': { ok: true } },
    },
    'checks{check:accepted}': {
      type: 'rate',
      values: { rate: 0.999 },
      thresholds: { 'rate>=0.97': { ok: true } },
    },
    iterations: { type: 'counter', values: { count: 100 } },
  },
});

describe('k6 summary import', () => {
  it('exit 99 is a fail naming the crossed threshold and its value', () => {
    const s = k6Section({ summary: summary(false), exitCode: 99, scenario: 'peak-day' });
    expect(s.status).toBe('fail');
    expect(s.summary).toContain('k6 exited 99');
    expect(s.summary).toContain('p(95)<=1000');
    const crossed = s.checks.find((c) => c.status === 'fail')!;
    expect(crossed.evidence.observed).toBe(1840);
    expect(crossed.message).toContain('1840 ms');
    expect(s.runs[0]!.slos).toHaveLength(3);
  });

  it('exit 0 with thresholds held passes; other exit codes are inconclusive', () => {
    expect(k6Section({ summary: summary(true), exitCode: 0 }).status).toBe('pass');
    expect(k6Section({ summary: summary(false), exitCode: 0 }).status).toBe('fail');
    expect(k6Section({ summary: summary(true), exitCode: 107 }).status).toBe('inconclusive');
    expect(k6Section({ summary: {}, exitCode: 0 }).status).toBe('inconclusive');
  });

  it('parses k6 threshold expressions', () => {
    expect(parseThreshold('p(99.9)<=2000')).toEqual({ stat: 'p(99.9)', op: '<=', value: 2000 });
    expect(parseThreshold('rate>=0.97')).toEqual({ stat: 'rate', op: '>=', value: 0.97 });
    expect(parseThreshold('nonsense')).toBeUndefined();
  });

  it('fits the report schema', () => {
    const section = k6Section({ summary: summary(false), exitCode: 99 });
    const report = {
      schemaVersion: '1.0',
      runId: 'r',
      command: 'scenario import-k6',
      tool: { name: 'shipgate', version: '0' },
      release: { name: 'k6', candidateVersion: 'k6' },
      timings: { startedAt: new Date().toISOString() },
      decision: { verdict: 'fail', reason: section.summary },
      layers: { scenarios: section },
    };
    const result = validateReport(JSON.parse(JSON.stringify(report)));
    expect(result.ok, result.ok ? '' : result.message).toBe(true);
  });
});
