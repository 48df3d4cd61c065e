import { describe, expect, it } from 'vitest';
import { validateReport } from '../../core/report/validate.ts';
import { combineStatuses, exitCodeFor, overallVerdict } from '../../core/report/verdict.ts';
import { buildReport } from './build.ts';
import { brokenIntegrationReport, failedCanaryReport, passingGateReport } from './fixtures/reports.ts';

const release = { name: 'platform 2.4.0', candidateVersion: '2.4.0' };

describe('verdict rules', () => {
  it('any fail fails, then inconclusive; all skipped is no evidence', () => {
    expect(combineStatuses(['pass', 'inconclusive', 'fail'])).toBe('fail');
    expect(combineStatuses(['pass', 'inconclusive', 'skipped'])).toBe('inconclusive');
    expect(combineStatuses(['pass', 'skipped'])).toBe('pass');
    expect(combineStatuses(['skipped'])).toBe('skipped');
    expect(overallVerdict({ layers: {} })).toBe('inconclusive');
    expect([exitCodeFor('pass'), exitCodeFor('fail'), exitCodeFor('inconclusive')]).toEqual([0, 1, 3]);
  });
});

describe('buildReport', () => {
  it('derives verdict, reason, exit code and deciding check from the layers, and validates', () => {
    const report = buildReport({
      runId: 'r1',
      command: 'gate',
      release,
      startedAt: '2026-11-27T09:00:00Z',
      finishedAt: new Date('2026-11-27T09:05:00Z'),
      layers: failedCanaryReport().layers,
    });
    expect(report.decision).toEqual({
      verdict: 'fail',
      reason: expect.stringMatching(/^Canary rollout: 24% of canary orders took longer than 1 s/),
      exitCode: 1,
      decidedBy: { layer: 'canary', checkId: 'canary/processing_over_slo' },
    });
    expect(report.timings.durationMs).toBe(300_000);
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    const result = validateReport(report);
    expect(result.ok ? '' : result.message).toBe('');
  });

  it('takes the first failure in gate order (contracts before replay)', () => {
    const report = buildReport({
      runId: 'r2',
      command: 'gate',
      release,
      startedAt: new Date(),
      layers: brokenIntegrationReport().layers,
    });
    expect(report.decision.decidedBy).toEqual({
      layer: 'contracts',
      checkId: 'contracts/parcelly/create-shipment',
    });
  });

  it('a pass says how many checks passed; nothing run is inconclusive, never a pass', () => {
    const pass = buildReport({
      runId: 'r3',
      command: 'gate',
      release,
      startedAt: new Date(),
      layers: passingGateReport().layers,
    });
    expect(pass.decision).toMatchObject({ verdict: 'pass', exitCode: 0 });
    expect(pass.decision.reason).toMatch(
      /^All 14 checks passed \(contracts, replay and diff, load and fault scenarios, canary rollout\)\.$/,
    );
    const empty = buildReport({ runId: 'r4', command: 'gate', release, startedAt: new Date(), layers: {} });
    expect(empty.decision).toMatchObject({ verdict: 'inconclusive', exitCode: 3 });
  });
});
