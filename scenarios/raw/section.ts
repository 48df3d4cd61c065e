import type { Check, CheckStatus, DiffGroup, ReplayLayer } from '../../core/report/model.ts';
import { pct } from '../diff/format.ts';
import type { RawDiffResult } from './diff.ts';
import type { RawFormat } from './record.ts';
import type { RawReplayResult } from './replayer.ts';

/**
 * Raw replay's section of report.json: the replay section (accounting, diff groups,
 * throughput) with the `raw` payload (requests, endpoints, targets). Pure. Checks:
 * every request accounted for (inconclusive when nothing reached the targets), the
 * targets answered (inconclusive when the candidate or the baseline could not be
 * reached for some: no evidence about those), same answers as the baseline (fail over
 * the budget; inconclusive when nothing was compared; skipped without a baseline).
 */
export interface RawSectionInput {
  result: RawReplayResult;
  diff?: RawDiffResult;
  input: { file: string; format: RawFormat };
  responsesInFile: number;
  startedAt: Date;
  finishedAt: Date;
}

export function rawReplaySection(s: RawSectionInput): ReplayLayer {
  const r = s.result;
  const q = r.requests;
  const checks = [accounting(r), answered(r), diffCheck(s.diff, r)];
  const candidate = r.targets.candidate;
  return {
    status: combine(checks.map((c) => c.status)),
    summary: summary(r, s.diff),
    timings: {
      startedAt: s.startedAt.toISOString(),
      finishedAt: s.finishedAt.toISOString(),
      durationMs: s.finishedAt.getTime() - s.startedAt.getTime(),
    },
    checks,
    input: {
      file: s.input.file,
      format: s.input.format,
      ...(Number.isFinite(r.schedule.speed) ? { speed: r.schedule.speed } : {}),
    },
    ...(candidate ? { target: candidate.origin } : {}),
    ...(r.targets.baseline ? { baselineTarget: r.targets.baseline.origin } : {}),
    accounting: {
      read: q.read,
      sent: q.sent,
      failed: q.failed,
      quarantined: q.quarantined,
      lost: 0,
      lostOrderIds: [],
    },
    ...(s.diff ? { compared: s.diff.compared } : {}),
    diffGroups: (s.diff?.fields ?? []).slice(0, 50).map(
      (f): DiffGroup => ({
        field: f.field,
        ...(f.changes[0] && f.changes[0].count === f.count
          ? { from: f.changes[0].from, to: f.changes[0].to }
          : {}),
        count: f.count,
        share: f.share,
        attributes: { endpoint: f.endpoint },
        summary: f.summary,
        sampleOrderIds: f.samples,
        ...(f.noisy ? { noisy: true } : {}),
      }),
    ),
    raw: {
      format: s.input.format,
      requests: {
        read: q.read,
        sent: q.sent,
        failed: q.failed,
        quarantined: q.quarantined,
        notResent: q.notResent,
      },
      quarantineReasons: r.quarantineReasons,
      responsesInFile: s.responsesInFile,
      droppedCredentialHeaders: r.droppedCredentials,
      noiseLearned: s.diff?.noiseLearned ?? false,
      endpoints: s.diff?.endpoints.slice(0, 100) ?? [],
      targets: Object.entries(r.targets).map(([role, t]) => ({
        role,
        origin: t.origin,
        answered: t.answered,
        noAnswer: t.noAnswer,
        byClass: t.byClass,
        latencyP95Ms: t.latencyMs.p95,
      })),
    },
    throughput: {
      ordersPerSecond: Math.round(r.schedule.throughput * 10) / 10,
      latencyP95Ms: candidate?.latencyMs.p95 ?? 0,
      lateness99Ms: r.schedule.lagMs.p99,
    },
  };
}

function counts(r: RawReplayResult): string {
  const q = r.requests;
  return `${q.read} requests read: ${q.sent} sent, ${q.failed} failed, ${q.quarantined} quarantined`;
}

function accounting(r: RawReplayResult): Check {
  const nothing = r.requests.sent === 0 && !r.aborted;
  const reasons = Object.entries(r.quarantineReasons).map(([code, n]) => `${n} ${code}`);
  const notResent = r.requests.notResent
    ? ` ${r.requests.notResent} in flight when the earlier run stopped were not sent again (not idempotent).`
    : '';
  return {
    id: 'replay/accounting',
    layer: 'replay',
    title: 'Every recorded request accounted for',
    status: !r.balanced ? 'fail' : nothing ? 'inconclusive' : 'pass',
    message: !r.balanced
      ? `The accounting does not balance: ${counts(r)}.`
      : `${counts(r)}${reasons.length ? ` (${reasons.join(', ')})` : ''}.${notResent}${nothing ? ' Nothing was answered by every target: no evidence about the release.' : ''}`,
    evidence: {
      test: 'accounting',
      observed: r.requests.read - r.requests.sent - r.requests.failed - r.requests.quarantined,
      threshold: { op: '==', value: 0, description: 'requests read and not accounted for' },
      details: { requests: r.requests, quarantineReasons: r.quarantineReasons, ledger: r.ledger },
    },
  };
}

function answered(r: RawReplayResult): Check {
  const silent = Object.entries(r.targets).filter(([, t]) => t.noAnswer > 0);
  const status: CheckStatus = silent.length ? 'inconclusive' : 'pass';
  return {
    id: 'replay/delivery',
    layer: 'replay',
    title: 'Every target answered',
    status,
    message: silent.length
      ? `${silent.map(([role, t]) => `the ${role} did not answer ${t.noAnswer} request${t.noAnswer === 1 ? '' : 's'}`).join('; ')} (${r.failures[0]?.error ?? 'no answer'}): no evidence about those.`
      : 'Every target answered every request sent.',
    evidence: {
      test: 'threshold',
      observed: silent.reduce((n, [, t]) => n + t.noAnswer, 0),
      threshold: { op: '==', value: 0, description: 'requests a target did not answer' },
      details: { targets: r.targets, sampleFailures: r.failures.slice(0, 10) },
    },
  };
}

function diffCheck(diff: RawDiffResult | undefined, r: RawReplayResult): Check {
  if (!diff)
    return {
      id: 'replay/diff',
      layer: 'replay',
      title: 'Same answers as the baseline',
      status: 'skipped',
      message: r.aborted
        ? 'Interrupted before the end: answers were not compared.'
        : 'No baseline was given (--baseline), so answers were not compared.',
      evidence: { test: 'diff' },
    };
  const nothing = diff.compared === 0;
  return {
    id: 'replay/diff',
    layer: 'replay',
    title: 'Same answers as the baseline',
    status: nothing ? 'inconclusive' : diff.verdict,
    message: `${diff.summary}${diff.noiseLearned ? '' : ' No second baseline: no field was discounted as noise.'}${nothing ? ' Nothing was compared, so this is no evidence.' : ''}`,
    evidence: {
      test: 'diff',
      observed: Math.round(diff.share * 10_000) / 10_000,
      threshold: { op: '<=', value: diff.budget, description: 'share of requests answered differently' },
      details: {
        compared: diff.compared,
        differing: diff.differing,
        noiseLearned: diff.noiseLearned,
        byEndpoint: diff.endpoints.slice(0, 100),
        byField: diff.fields.slice(0, 100).map(({ samples: _s, summary: _m, ...f }) => f),
      },
    },
  };
}

function summary(r: RawReplayResult, diff: RawDiffResult | undefined): string {
  if (r.requests.sent === 0 && !r.aborted) return `Nothing was replayed (${counts(r)}).`;
  const head = `${counts(r)}`;
  if (!diff) return `${head}.`;
  if (diff.compared === 0) return `${head}; no answer could be compared with the baseline.`;
  if (diff.differing === 0) return `${head}; the candidate answered as the baseline did.`;
  const top = diff.fields.find((f) => !f.noisy);
  return `${head}; ${pct(diff.share)} of requests answered differently${top ? ` (${top.summary})` : ''}.`;
}

function combine(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  if (statuses.includes('pass')) return 'pass';
  return 'skipped';
}
