import { setMaxListeners } from 'node:events';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { shipgateError } from '../../core/errors.ts';
import { assertTargetAllowed, createAllowlist } from '../replay/allowlist.ts';
import { DEFAULT_REPLAY_CONCURRENCY } from '../replay/defaults.ts';
import { LatencyRecorder } from '../replay/latency.ts';
import { reorder } from '../replay/reorder.ts';
import { openResultsWriter } from '../replay/results-file.ts';
import { Semaphore } from '../replay/semaphore.ts';
import { startRequestTrace } from '../replay/traceparent.ts';
import type { LatencySummary } from '../replay/types.ts';
import { type LedgerCounts, TrafficLedger } from '../traffic/accounting.ts';
import { type RawAnswer, RawClient } from './client.ts';
import type { ComparedRequest } from './diff.ts';
import type { EndpointNamer } from './endpoint.ts';
import { changes, display, type Fields, fieldOf, responseFields } from './fields.ts';
import { type HeaderRewrite, prepareHeaders } from './headers.ts';
import { IDEMPOTENT_METHODS, type RawQuarantined, type RawRecord, type RawRequest } from './record.ts';
import { type RawOutcomeLine, type RawResultLine, readPriorRawResults } from './results.ts';

/**
 * Recorded requests sent as recorded to the candidate, the baseline and an optional
 * second baseline at once (Diffy's multicast), each answer compared as soon as all
 * are in. Open model like the order replayer: a request leaves at its recorded time
 * compressed by `speed` (Infinity: no waiting), whether or not earlier ones have been
 * answered; only the in-flight cap holds a send back, and how long is reported as lag.
 *
 * Every record read ends as exactly one of sent (every target answered, whatever the
 * status), failed (a target did not answer) or quarantined (the traffic ledger checks
 * it). Resume: an outcome on record is final; a request in flight at the kill is sent
 * again only when its method is idempotent (RFC 9110: GET, HEAD, PUT, DELETE, OPTIONS),
 * else it is failed as "not re-sent", since a second POST could act twice.
 */
export const TARGET_LABELS = ['candidate', 'baseline', 'second-baseline'] as const;
export type TargetLabel = (typeof TARGET_LABELS)[number];

export interface RawReplayOptions {
  records: AsyncIterable<RawRecord>;
  targets: { candidate: string; baseline?: string; secondBaseline?: string };
  allowHosts?: readonly string[];
  headers?: readonly HeaderRewrite[];
  endpoint: EndpointNamer;
  resultsFile: string;
  resume?: boolean;
  /** Recorded seconds per real second (default 1: as recorded); Infinity: no waiting. */
  speed?: number;
  concurrency?: number;
  timeoutMs?: number;
  reorderWindow?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RawProgress) => void;
  onQuarantine?: (record: RawQuarantined, info: { resumed: boolean }) => void;
}

export interface RawRequestCounts {
  read: number;
  sent: number;
  failed: number;
  quarantined: number;
  /** Released out of recorded order (sent at once rather than dropped). */
  late: number;
  /** Outcome taken from the interrupted run's results file. */
  resumed: number;
  /** In flight at the kill, not idempotent, so not sent again (counted as failed). */
  notResent: number;
}

export interface RawProgress {
  requests: RawRequestCounts;
  inFlight: number;
  elapsedMs: number;
}

export interface RawTargetStats {
  origin: string;
  answered: number;
  noAnswer: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  latencyMs: LatencySummary;
}

export interface RawReplayResult {
  aborted: boolean;
  balanced: boolean;
  ledger: LedgerCounts;
  requests: RawRequestCounts;
  quarantineReasons: Record<string, number>;
  targets: Partial<Record<TargetLabel, RawTargetStats>>;
  /** The first 1000 requests a target did not answer. */
  failures: { id: string; line: number; target: string; error: string }[];
  /** Every request whose candidate and baseline answers were compared (this run and the resumed one). */
  compared: ComparedRequest[];
  /** Recorded credential headers dropped for want of a rule (names only). */
  droppedCredentials: string[];
  schedule: {
    speed: number;
    concurrency: number;
    lagMs: LatencySummary;
    sendDurationMs: number;
    throughput: number;
  };
  resultsFile: string;
}

export async function replayRaw(options: RawReplayOptions): Promise<RawReplayResult> {
  const allowlist = createAllowlist(options.allowHosts);
  const urls: [TargetLabel, URL][] = [
    ['candidate', assertTargetAllowed(options.targets.candidate, allowlist)],
  ];
  if (options.targets.baseline)
    urls.push(['baseline', assertTargetAllowed(options.targets.baseline, allowlist)]);
  if (options.targets.secondBaseline)
    urls.push(['second-baseline', assertTargetAllowed(options.targets.secondBaseline, allowlist)]);
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  const concurrency = options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  setMaxListeners(concurrency * 4 + 16, signal);
  let fatal: unknown;

  const prior = options.resume
    ? await readPriorRawResults(options.resultsFile)
    : {
        outcomes: new Map<string, RawOutcomeLine>(),
        inFlight: new Set<string>(),
        quarantinedLines: new Set<number>(),
        torn: 0,
      };
  let writer: ReturnType<typeof openResultsWriter<RawResultLine>>;
  try {
    writer = openResultsWriter<RawResultLine>(options.resultsFile, () => signal.aborted);
  } catch (error) {
    throw unwritable(options.resultsFile, error);
  }
  const persist = (line: RawResultLine, durable = false): boolean => {
    try {
      writer.write(line, { durable });
      return true;
    } catch (error) {
      fatal ??= error;
      stop.abort(error);
      return false;
    }
  };
  const clients = urls.map(
    ([label, url]) =>
      [
        label,
        new RawClient(url.origin, { connections: concurrency, timeoutMs: options.timeoutMs ?? 10_000 }),
      ] as const,
  );
  const stats = new Map<TargetLabel, RawTargetStats & { latency: LatencyRecorder }>();
  for (const [label, url] of urls)
    stats.set(label, {
      origin: url.origin,
      answered: 0,
      noAnswer: 0,
      byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
      latencyMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      latency: new LatencyRecorder(),
    });

  const ledger = new TrafficLedger();
  const requests: RawRequestCounts = {
    read: 0,
    sent: 0,
    failed: 0,
    quarantined: 0,
    late: 0,
    resumed: 0,
    notResent: 0,
  };
  const quarantineReasons: Record<string, number> = {};
  const failures: RawReplayResult['failures'] = [];
  const compared: ComparedRequest[] = [];
  const dropped = new Set<string>();
  const lag = new LatencyRecorder();
  const slots = new Semaphore(concurrency);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const progress = () =>
    options.onProgress?.({
      requests: { ...requests },
      inFlight: slots.inUse,
      elapsedMs: performance.now() - started,
    });

  const settle = (outcome: RawOutcomeLine, resumed: boolean) => {
    if (outcome.sent) {
      requests.sent++;
      ledger.sent(outcome.id);
    } else {
      requests.failed++;
      ledger.failed(outcome.id, outcome.error ?? 'no answer');
    }
    if (resumed) requests.resumed++;
    if (outcome.compared)
      compared.push({
        id: outcome.id,
        endpoint: outcome.endpoint,
        diffs: outcome.diffs,
        ...(outcome.noise ? { noise: outcome.noise } : {}),
      });
    progress();
  };

  const send = async (request: RawRequest, endpoint: string) => {
    if (!persist({ t: 'intent', id: request.id, line: request.line }, true)) return;
    const prepared = prepareHeaders(request.headers, options.headers ?? []);
    for (const name of prepared.droppedCredentials) dropped.add(name);
    const trace = startRequestTrace(request.id, request.line);
    const answers = await Promise.all(
      clients.map(([, client]) =>
        client.send(
          {
            method: request.method,
            path: request.path,
            headers: { ...prepared.headers, ...trace.headers },
            ...(request.body ? { body: request.body } : {}),
          },
          signal,
        ),
      ),
    );
    if (signal.aborted) return; // a "kill": the intent stays unanswered, resume decides
    const byLabel = new Map<TargetLabel, RawAnswer>(clients.map(([label], i) => [label, answers[i]!]));
    const targets: RawOutcomeLine['targets'] = {};
    for (const [label, answer] of byLabel) {
      const s = stats.get(label)!;
      targets[label] = {
        http: answer.http,
        ms: Math.round(answer.latencyMs * 10) / 10,
        ...(answer.error ? { error: answer.error } : {}),
      };
      if (answer.http === 0) {
        s.noAnswer++;
        if (failures.length < 1000)
          failures.push({
            id: request.id,
            line: request.line,
            target: label,
            error: answer.error ?? 'no answer',
          });
        continue;
      }
      s.answered++;
      s.latency.record(answer.latencyMs);
      const cls =
        `${Math.min(5, Math.max(2, Math.floor(answer.http / 100)))}xx` as keyof RawTargetStats['byClass'];
      s.byClass[cls]++;
    }
    trace.end([...byLabel.values()].some((a) => a.http === 0));
    const missing = [...byLabel].filter(([, a]) => a.http === 0).map(([label]) => label);
    const fields = (a: RawAnswer | undefined): Fields | undefined =>
      a && a.http > 0 ? responseFields(a.http, a.body, a.json) : undefined;
    const candidate = fields(byLabel.get('candidate'));
    const baseline = fields(byLabel.get('baseline'));
    const second = fields(byLabel.get('second-baseline'));
    const isCompared = candidate !== undefined && baseline !== undefined;
    const outcome: RawOutcomeLine = {
      t: 'outcome',
      id: request.id,
      line: request.line,
      endpoint,
      sent: missing.length === 0,
      ...(missing.length ? { error: `no answer from ${missing.join(', ')}` } : {}),
      targets,
      traceparent: trace.traceparent,
      compared: isCompared,
      diffs: isCompared ? fieldChanges(baseline, candidate) : [],
      ...(isCompared && second
        ? { noise: [...new Set(changes(baseline, second).map((c) => fieldOf(c.path)))] }
        : {}),
    };
    persist(outcome);
    settle(outcome, false);
  };

  async function* timed(): AsyncGenerator<{ at: number; record: RawRequest }> {
    for await (const record of options.records) {
      requests.read++;
      ledger.read();
      if (record.kind === 'quarantined') {
        ledger.quarantined();
        requests.quarantined++;
        quarantineReasons[record.code] = (quarantineReasons[record.code] ?? 0) + 1;
        const resumed = prior.quarantinedLines.has(record.line);
        if (!resumed)
          persist({ t: 'quarantined', line: record.line, field: record.field, reason: record.reason });
        options.onQuarantine?.(record, { resumed });
        progress();
        continue;
      }
      yield { at: record.at, record };
      if (signal.aborted) return;
    }
  }

  let origin: { at: number; real: number } | undefined;
  let sendEnded = started;
  try {
    for await (const { item, late } of reorder(timed(), options.reorderWindow)) {
      if (signal.aborted) break;
      const request = item.record;
      if (late) requests.late++;
      const endpoint = options.endpoint(request.method, request.path);
      const done = prior.outcomes.get(request.id);
      if (done) {
        settle(done, true);
        continue;
      }
      if (prior.inFlight.has(request.id) && !IDEMPOTENT_METHODS.has(request.method)) {
        const outcome: RawOutcomeLine = {
          t: 'outcome',
          id: request.id,
          line: request.line,
          endpoint,
          sent: false,
          error: `in flight when the run stopped; ${request.method} is not idempotent, so it was not sent again`,
          targets: {},
          compared: false,
          diffs: [],
        };
        requests.notResent++;
        persist(outcome);
        settle(outcome, false);
        continue;
      }
      origin ??= { at: item.at, real: performance.now() };
      const due = origin.real + Math.max(0, item.at - origin.at) / speed;
      const wait = due - performance.now();
      if (wait > 1) {
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          break;
        }
      }
      try {
        await slots.acquire(signal);
      } catch {
        break;
      }
      lag.record(Math.max(0, performance.now() - due));
      const task: Promise<void> = send(request, endpoint).finally(() => {
        slots.release();
        inFlight.delete(task);
      });
      inFlight.add(task);
    }
    await Promise.allSettled([...inFlight]);
    sendEnded = performance.now();
    try {
      writer.close();
    } catch (error) {
      fatal ??= error;
    }
    if (fatal) throw unwritable(options.resultsFile, fatal);
    const aborted = signal.aborted;
    if (!aborted) ledger.assertBalanced();
    const sendDurationMs = sendEnded - started;
    const sentNow = requests.sent + requests.failed - requests.resumed;
    return {
      aborted,
      balanced: requests.read === requests.sent + requests.failed + requests.quarantined && ledger.balanced,
      ledger: ledger.counts,
      requests,
      quarantineReasons,
      targets: Object.fromEntries(
        [...stats].map(([label, { latency, ...s }]) => [label, { ...s, latencyMs: latency.summary() }]),
      ),
      failures,
      compared,
      droppedCredentials: [...dropped],
      schedule: {
        speed,
        concurrency,
        lagMs: lag.summary(),
        sendDurationMs: Math.round(sendDurationMs),
        throughput: sentNow / Math.max(sendDurationMs / 1000, 1e-3),
      },
      resultsFile: options.resultsFile,
    };
  } finally {
    try {
      writer.close();
    } catch {
      // reported above, or an error is on its way out
    }
    await Promise.all(clients.map(([, c]) => c.close()));
  }
}

/** Candidate vs baseline, one entry per field (its first change), values as they may be written. */
function fieldChanges(baseline: Fields, candidate: Fields): ComparedRequest['diffs'] {
  const seen = new Map<string, ComparedRequest['diffs'][number]>();
  for (const c of changes(baseline, candidate)) {
    const field = fieldOf(c.path);
    if (!seen.has(field))
      seen.set(field, { field, from: display(c.path, c.from), to: display(c.path, c.to) });
  }
  return [...seen.values()];
}

function unwritable(file: string, error: unknown) {
  const reason =
    error instanceof Error && 'code' in error ? `${String(error.code)} ${error.message}` : String(error);
  return shipgateError('SG_RUN_DIR_UNWRITABLE', { dir: dirname(file), reason }, error);
}
