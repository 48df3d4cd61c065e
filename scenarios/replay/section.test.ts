import { describe, expect, it } from 'vitest';
import { validateReport } from '../../core/report/validate.ts';
import { diffRuns } from '../diff/diff.ts';
import { reportOfSandboxState } from '../platform/sandbox.ts';
import { replaySection } from './section.ts';
import type { ReplayResult } from './types.ts';

function result(overrides: Partial<ReplayResult> = {}): ReplayResult {
  const none = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    label: 'candidate',
    target: 'http://127.0.0.1:4000',
    aborted: false,
    balanced: true,
    lines: { read: 10, sent: 9, failed: 0, quarantined: 1, late: 0, resumed: 0 },
    orders: { attempted: 9, accepted: 9, duplicates: 0, failed: 0, retried: 0, confirmed: 0, lost: 0 },
    ledger: { read: 10, clones: 0, sent: 9, failed: 0, quarantined: 1, pending: 0 },
    lost: [],
    failures: [],
    quarantined: [{ line: 4, field: '(line)', reason: 'malformed JSON' }],
    states: new Map(),
    refs: new Map(),
    latencyMs: { ...none, count: 9, p95: 12 },
    schedule: {
      speed: 1440,
      multiply: 1,
      concurrency: 64,
      clockOffsetMs: 0,
      targetClock: true,
      lagMs: none,
      sendDurationMs: 1000,
      reconcileDurationMs: 10,
      throughput: 9,
    },
    resultsFile: 'results.jsonl',
    ...overrides,
  };
}

const times = { startedAt: new Date('2026-11-23T10:00:00Z'), finishedAt: new Date('2026-11-23T10:01:00Z') };

function asReport(section: ReturnType<typeof replaySection>) {
  return {
    schemaVersion: '1.0',
    runId: 'abc',
    command: 'replay',
    tool: { name: 'shipgate', version: '0.1.0' },
    release: { name: 'replay', candidateVersion: 'x' },
    timings: { startedAt: times.startedAt.toISOString() },
    decision: {
      verdict: section.status === 'skipped' ? 'inconclusive' : section.status,
      reason: section.summary,
    },
    layers: { replay: section },
  };
}

describe('replaySection', () => {
  it('passes a clean replay without a baseline (diff skipped) and fits the report schema', () => {
    const section = replaySection({ candidate: result(), input: { file: 'day.jsonl' }, ...times });
    expect(section.status).toBe('pass');
    expect(section.checks.map((c) => [c.id, c.status])).toEqual([
      ['replay/accounting', 'pass'],
      ['replay/delivery', 'pass'],
      ['replay/diff', 'skipped'],
    ]);
    expect(section.checks[0]!.message).toBe('10 lines read: 9 sent, 0 failed, 1 quarantined, 0 lost.');
    expect(validateReport(asReport(section)).ok).toBe(true);
  });

  it('fails on lost orders and names them', () => {
    const candidate = result({
      lost: [
        { id: 'o-3', line: 3, reason: 'missing' },
        { id: 'o-8', line: 8, reason: 'unsettled', lastStatus: 'accepted' },
      ],
    });
    const section = replaySection({ candidate, input: { file: 'day.jsonl' }, ...times });
    expect(section.status).toBe('fail');
    expect(section.accounting.lostOrderIds).toEqual(['o-3', 'o-8']);
    expect(section.checks[0]!.message).toBe(
      '2 orders were accepted by the platform and never processed (1 unknown to it, 1 never settled): o-3, o-8.',
    );
    expect(section.summary).toBe('2 orders were lost.');
  });

  it('is inconclusive when orders could not reach the target, and fails on 5xx', () => {
    const unreachable = result({
      failures: [{ id: 'o-1', line: 1, http: 0, error: 'ECONNREFUSED after 5 attempts' }],
    });
    expect(replaySection({ candidate: unreachable, input: { file: 'f' }, ...times }).status).toBe(
      'inconclusive',
    );
    const broken = result({ failures: [{ id: 'o-1', line: 1, http: 500, error: 'HTTP 500' }] });
    const section = replaySection({ candidate: broken, input: { file: 'f' }, ...times });
    expect(section.status).toBe('fail');
    expect(section.checks[1]!.message).toContain('server error (5xx)');
  });

  it('carries the diff verdict, groups and message', () => {
    const state = (carrier: 'labelfast' | 'steppe', region: 'NW' | 'C') => ({
      orderId: 'x',
      version: 'v',
      status: 'shipped' as const,
      region,
      serviceLevel: 'standard' as const,
      value: 1,
      vip: false,
      promisedBy: '2026-11-25T00:00:00Z',
      acceptedAt: '2026-11-23T00:00:00Z',
      carrier,
    });
    const baseline = new Map([
      ['a', reportOfSandboxState(state('labelfast', 'NW'))],
      ['b', reportOfSandboxState(state('labelfast', 'C'))],
    ]);
    const candidate = new Map([
      ['a', reportOfSandboxState(state('steppe', 'NW'))],
      ['b', reportOfSandboxState(state('labelfast', 'C'))],
    ]);
    const diff = diffRuns({ baseline, candidate });
    const section = replaySection({
      candidate: result(),
      baseline: result(),
      diff,
      input: { file: 'f' },
      ...times,
    });
    expect(section.status).toBe('fail');
    expect(section.compared).toBe(2);
    expect(section.diffGroups[0]!.summary).toBe(
      'carrier changed labelfast→steppe in 50% of orders, all in region NW',
    );
    expect(section.summary).toBe(
      'All 10 lines were accounted for and no order was lost; 50% of orders differ (carrier changed labelfast→steppe in 50% of orders, all in region NW).',
    );
    expect(validateReport(asReport(section)).ok).toBe(true);
  });

  it('does not say "no order was lost; no decision changed" when nothing was sent (0 sent, 49 failed)', () => {
    const failures = Array.from({ length: 49 }, (_, i) => ({
      id: `o-${i}`,
      line: i + 1,
      http: 422,
      error: 'invalid',
    }));
    const candidate = result({
      lines: { read: 49, sent: 0, failed: 49, quarantined: 0, late: 0, resumed: 0 },
      orders: { attempted: 49, accepted: 0, duplicates: 0, failed: 49, retried: 0, confirmed: 0, lost: 0 },
      failures,
    });
    const diff = diffRuns({ baseline: new Map(), candidate: new Map() });
    const section = replaySection({ candidate, baseline: candidate, diff, input: { file: 'f' }, ...times });
    expect(section.status).toBe('inconclusive');
    expect(section.summary).not.toMatch(/no order was lost|no decision changed/);
    expect(section.summary).toBe(
      'The target accepted no order (49 lines read: 0 sent, 49 failed, 0 quarantined): nothing was replayed or compared.',
    );
    expect(section.checks.map((c) => [c.id, c.status])).toEqual([
      ['replay/accounting', 'inconclusive'],
      ['replay/delivery', 'pass'],
      ['replay/diff', 'inconclusive'],
    ]);
    expect(validateReport(asReport(section)).ok).toBe(true);
  });
});
