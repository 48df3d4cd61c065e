import { describe, expect, it } from 'vitest';
import { judgeAll } from './judge.ts';
import type { ScenarioResult } from './runner.ts';
import { scenariosSection } from './section.ts';

const result = (slos: ScenarioResult['slos']): ScenarioResult => ({
  scenario: 'cutoff-rush',
  description: 'd',
  version: 'stable',
  target: 'kestrel at http://127.0.0.1:1',
  status: 'pass',
  scale: 1,
  speed: 720,
  orders: { planned: 3, sent: 3, failed: 0, lost: 0, lostIds: [] },
  faults: [],
  slos,
  failover: [],
  observations: [],
  timings: {
    startedAt: '2026-12-05T00:00:00.000Z',
    finishedAt: '2026-12-05T00:01:00.000Z',
    durationMs: 60_000,
    loadMs: 1,
    settleMs: 1,
    virtual: { startedAt: '2026-11-27T12:00:00.000Z', finishedAt: '2026-11-27T18:00:00.000Z', speed: 720 },
  },
  driver: { scheduleLagP99Ms: 0, throughput: 1, intakeP95Ms: 1 },
  settle: { delivered: 3, awaiting: 0, virtualDays: 4, timedOut: false },
});

describe('the scenarios section', () => {
  it('a skipped SLO is named in the summary and its check, and the section passes on the measured ones only', () => {
    const slos = judgeAll(
      [
        { id: 'lost_orders', op: '<=', value: 0 },
        { id: 'cutoff_missed_rate', op: '<=', value: 0.02 },
      ],
      {
        lost_orders: { value: 0, samples: 3, source: 'ledger' },
        cutoff_missed_rate: {
          value: null,
          samples: 0,
          source: 'outcomes',
          notMeasurable: 'no cutoffMissed field',
        },
      },
    );
    const section = scenariosSection({ results: [result(slos)] });
    expect(section.status).toBe('pass');
    expect(section.summary).toBe(
      'cutoff-rush on stable met the 1 SLOs it could measure; not measurable on this target: Dispatch cutoff misses.',
    );
    const check = section.checks.find((c) => c.id.endsWith('cutoff_missed_rate'))!;
    expect(check.status).toBe('skipped');
    expect(check.evidence.details).toMatchObject({ notMeasurable: 'no cutoffMissed field' });
    expect(section.runs[0]!.slos.find((s) => s.id === 'cutoff_missed_rate')!.status).toBe('skipped');
  });
});
