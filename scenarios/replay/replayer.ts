import { setMaxListeners } from 'node:events';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../../contracts/domain/order.ts';
import { shipgateError } from '../../core/errors.ts';
import type { OrderReport } from '../platform/types.ts';
import { TrafficLedger } from '../traffic/accounting.ts';
import type { QuarantinedRecord, ValidRecord } from '../traffic/record.ts';
import { assertTargetAllowed, createAllowlist } from './allowlist.ts';
import { DEFAULT_REPLAY_CONCURRENCY } from './defaults.ts';
import { LatencyRecorder } from './latency.ts';
import { cloneId, shiftOrder } from './orders.ts';
import { PlatformClient, type SubmitOutcome } from './platform-client.ts';
import { type AcceptedOrder, reconcile } from './reconcile.ts';
import { reorder } from './reorder.ts';
import { openResultsWriter, type PriorResults, readPriorResults } from './results-file.ts';
import { Semaphore } from './semaphore.ts';
import type {
  FailedOrder,
  LineAccounting,
  OrderAccounting,
  ReplayOptions,
  ReplayProgress,
  ReplayResult,
} from './types.ts';

/**
 * Open-model replay of recorded orders (like k6's arrival-rate executors): each order
 * is sent at its recorded time, compressed by `speed`, whether or not earlier requests
 * have been answered. A slow platform therefore meets the recorded load instead of
 * slowing the replay down to its own pace (the "coordinated omission" of closed-loop
 * drivers). Only the in-flight cap can hold a send back; how long it did is reported as
 * schedule lag, never hidden.
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  // The allowlist is checked before anything else: not even the clock is read from a
  // host that is not allowed.
  const url = assertTargetAllowed(options.target, createAllowlist(options.allowHosts));
  // Our own stop, for a results file that cannot be written: sending an order whose
  // intent is not on record would break the never-twice guarantee on resume.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let fatal: unknown;
  const multiply = options.multiply ?? 1;
  if (!Number.isInteger(multiply) || multiply < 1)
    throw new RangeError(`multiply must be an integer ≥ 1, got ${multiply}`);
  const concurrency = options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY;
  // Every request in flight (and the scheduler's sleep) listens on the signal.
  setMaxListeners(concurrency * 2 + 16, signal);
  const label = options.label ?? 'candidate';

  const prior: PriorResults = options.resume
    ? await readPriorResults(options.resultsFile)
    : { outcomes: new Map(), inFlight: new Map(), quarantinedLines: new Set(), torn: 0 };
  let writer: ReturnType<typeof openResultsWriter>;
  try {
    writer = openResultsWriter(options.resultsFile, () => signal.aborted);
  } catch (error) {
    throw unwritable(options.resultsFile, error);
  }
  const persist = (...args: Parameters<typeof writer.write>): boolean => {
    try {
      writer.write(...args);
      return true;
    } catch (error) {
      fatal ??= error;
      stop.abort(error);
      return false;
    }
  };
  const client = new PlatformClient(url, {
    connections: concurrency,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.platform ? { adapter: options.platform } : {}),
    label,
  });

  // The traffic ledger counts orders (clones included) and throws on a double settle;
  // the line accounting below is its per-input-line view for the report.
  const ledger = new TrafficLedger();
  const lines: LineAccounting = { read: 0, sent: 0, failed: 0, quarantined: 0, late: 0, resumed: 0 };
  const orders: OrderAccounting = {
    attempted: 0,
    accepted: 0,
    duplicates: 0,
    failed: 0,
    retried: 0,
    confirmed: 0,
    lost: 0,
  };
  const failures: FailedOrder[] = [];
  const quarantined: ReplayResult['quarantined'] = [];
  const accepted = new Map<string, AcceptedOrder>();
  /** Decisions the answers held (adapters whose answer is the outcome, or carries one). */
  const answered = new Map<string, OrderReport>();
  const unanswered = new Map<string, { line: number; key: string; outcome: SubmitOutcome }>();
  const pendingClones = new Map<number, { pending: number; failed: boolean; resumed: boolean }>();
  const latency = new LatencyRecorder();
  const lag = new LatencyRecorder();
  const slots = new Semaphore(concurrency);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();

  const progress = (): ReplayProgress => ({
    lines: { ...lines },
    orders: { ...orders },
    inFlight: slots.inUse,
    elapsedMs: performance.now() - started,
  });
  const notify = () => options.onProgress?.(progress());

  const quarantine = (record: QuarantinedRecord) => {
    lines.quarantined++;
    if (quarantined.length < 1000)
      quarantined.push({ line: record.line, field: record.field, reason: record.reason });
    const recorded = prior.quarantinedLines.has(record.line);
    if (!recorded)
      persist({ t: 'quarantined', line: record.line, field: record.field, reason: record.reason });
    options.onQuarantine?.(record, { resumed: recorded });
    notify();
  };

  const settle = (
    line: number,
    id: string,
    ok: boolean,
    resumed: boolean,
    reason = '',
    ref: AcceptedOrder['ref'] = { id, key: id },
  ) => {
    if (ok) {
      orders.accepted++;
      accepted.set(id, { line, ref });
      ledger.sent(id);
    } else {
      orders.failed++;
      ledger.failed(id, reason);
    }
    const state = pendingClones.get(line);
    if (!state) return;
    state.pending--;
    if (!ok) state.failed = true;
    if (!resumed) state.resumed = false;
    if (state.pending > 0) return;
    pendingClones.delete(line);
    if (state.failed) lines.failed++;
    else lines.sent++;
    if (state.resumed) lines.resumed++;
    notify();
  };

  const clock = options.shiftToTargetClock === false ? undefined : await client.clock(signal);
  const speed = options.speed ?? clock?.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  let origin: { at: number; real: number } | undefined;
  let clockOffsetMs = 0;
  let sendEnded = started;

  /**
   * An order's idempotency key on this target, from its (clone) id and recorded fields,
   * never from the shifted times: the same in this run, a resumed one and a retry.
   */
  const keyOf = (order: Order, id: string) => client.keyOf(shiftOrder(order, id, 0));

  const send = async (order: Order, id: string, line: number, firstAttempt: number) => {
    const shifted = shiftOrder(order, id, clockOffsetMs);
    if (!persist({ t: 'intent', id, line, attempt: firstAttempt }, { durable: true })) return;
    orders.attempted++;
    let outcome: Awaited<ReturnType<PlatformClient['submit']>>;
    let key = id;
    try {
      key = await keyOf(order, id);
      outcome = await client.submit(shifted, line, firstAttempt, signal, key);
    } catch (error) {
      if (signal.aborted) return; // a "kill": the intent line stays unanswered, resume re-sends
      outcome = {
        status: 'failed',
        http: 0,
        attempt: firstAttempt,
        latencyMs: 0,
        error: error instanceof Error ? error.message : String(error),
        traceparent: '',
      };
    }
    if (signal.aborted) return;
    latency.record(outcome.latencyMs);
    if (outcome.attempt > firstAttempt) orders.retried++;
    if (outcome.duplicate) orders.duplicates++;
    if (outcome.status === 'failed' && outcome.http === 0 && options.confirmUnanswered !== false) {
      // No answer at all (timeouts, resets): the platform may well have the order.
      // Its fate is settled after the send phase by asking the platform.
      unanswered.set(id, { line, key, outcome });
      return;
    }
    finish(id, line, outcome, key);
  };

  const finish = (id: string, line: number, outcome: SubmitOutcome, key: string, confirmed = false) => {
    const { traceparent, report, ...rest } = outcome;
    if (report) answered.set(id, report);
    persist({
      t: 'outcome',
      id,
      line,
      ...rest,
      latencyMs: Math.round(outcome.latencyMs * 10) / 10,
      traceparent,
      ...(confirmed ? { confirmed: true } : {}),
    });
    if (outcome.status === 'failed') {
      if (failures.length < 1000) failures.push({ id, line, http: outcome.http, error: outcome.error ?? '' });
    }
    settle(line, id, outcome.status === 'accepted', false, outcome.error, {
      id,
      key,
      ...(outcome.platformId !== undefined ? { platformId: outcome.platformId } : {}),
    });
  };

  /**
   * Orders that never got an answer are looked up: found → accepted after all (the
   * answer was lost, not the order), missing → failed. Until then their outcome line is
   * not written, so a crash here leaves them to a same-key resend on resume.
   */
  const confirmUnanswered = async () => {
    const refs = [...unanswered].map(([id, { key }]) => ({ id, key }));
    // Only what the adapter can find without the platform's id: a status path keyed by
    // the platform's ticket cannot say whether an unanswered order landed.
    const askable = refs.filter((ref) => client.canLookUp(ref));
    const found = new Map<string, OrderReport | undefined>();
    let lookupError: string | undefined;
    for (let i = 0; i < askable.length; i += 500) {
      try {
        for (const [id, reading] of await client.lookup(askable.slice(i, i + 500), signal)) {
          if (reading.kind === 'found') found.set(id, reading.report);
        }
      } catch (error) {
        if (signal.aborted) return;
        lookupError = error instanceof Error ? error.message : String(error);
      }
    }
    for (const { id, key } of refs) {
      const { line, outcome } = unanswered.get(id)!;
      if (found.has(id)) {
        orders.confirmed++;
        const report = found.get(id);
        finish(
          id,
          line,
          {
            ...outcome,
            status: 'accepted',
            error: `${outcome.error} (found by lookup)`,
            ...(report?.platformId !== undefined ? { platformId: report.platformId } : {}),
          },
          key,
          true,
        );
      } else {
        const why = !client.canLookUp({ id, key })
          ? `${outcome.error}; the platform cannot be asked about it without its own id`
          : lookupError
            ? `${outcome.error}; lookup failed: ${lookupError}`
            : outcome.error;
        finish(id, line, { ...outcome, ...(why ? { error: why } : {}) }, key);
      }
    }
  };

  const seen = new Set<string>();
  async function* orderRecords(): AsyncGenerator<{ at: number; record: ValidRecord }> {
    for await (const record of options.records) {
      lines.read++;
      ledger.read(record);
      if (record.kind === 'quarantined') {
        quarantine(record);
        continue;
      }
      if (seen.has(record.order.id)) {
        // The traffic reader should have caught it; never send an id twice regardless.
        ledger.quarantined();
        quarantine({
          kind: 'quarantined',
          line: record.line,
          field: 'id',
          code: 'duplicate-id',
          reason: 'duplicate order id',
        });
        continue;
      }
      seen.add(record.order.id);
      ledger.cloned(multiply - 1);
      yield { at: Date.parse(record.order.createdAt), record };
      if (signal.aborted) return;
    }
  }

  try {
    for await (const { item, late } of reorder(orderRecords(), options.reorderWindow)) {
      if (signal.aborted) break;
      const { record } = item;
      if (late) lines.late++;
      const ids = Array.from({ length: multiply }, (_, k) => cloneId(record.order.id, k));
      const todo = ids.filter((id) => !prior.outcomes.has(id));
      pendingClones.set(record.line, { pending: ids.length, failed: false, resumed: true });
      for (const id of ids) {
        const done = prior.outcomes.get(id);
        if (!done) continue;
        let key = id;
        try {
          key = await keyOf(record.order, id);
        } catch {
          // it was keyed before the crash; without its key only a lookup by id can find it
        }
        settle(record.line, id, done.status === 'accepted', true, done.error, {
          id,
          key,
          ...(done.platformId !== undefined ? { platformId: done.platformId } : {}),
        });
      }
      if (todo.length === 0) continue; // finished before the crash: no need to wait for its time

      if (!origin) {
        // The schedule starts at the first order that is actually sent, so a resumed run
        // does not sit through the part of the day already replayed.
        origin = { at: item.at, real: performance.now() };
        if (clock) {
          const own = Math.round(
            Date.parse(clock.now) + (Date.now() - clock.readAtMs) * clock.speed - item.at,
          );
          clockOffsetMs = options.sharedClockOffset?.resolve(own) ?? own;
        }
      }
      const due = origin.real + Math.max(0, item.at - origin.at) / speed;
      const wait = due - performance.now();
      if (wait > 1) {
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          break;
        }
      }
      for (const id of todo) {
        try {
          await slots.acquire(signal);
        } catch {
          break;
        }
        lag.record(Math.max(0, performance.now() - due));
        const task: Promise<void> = send(
          record.order,
          id,
          record.line,
          (prior.inFlight.get(id) ?? 0) + 1,
        ).finally(() => {
          slots.release();
          inFlight.delete(task);
        });
        inFlight.add(task);
      }
    }
    await Promise.allSettled([...inFlight]);
    sendEnded = performance.now();
    if (!signal.aborted && unanswered.size > 0) await confirmUnanswered();

    let reconcileDurationMs = 0;
    let lost: ReplayResult['lost'] = [];
    let states = new Map<string, OrderReport>();
    if (client.adapter.outcome.kind === 'answer') {
      // The answer is the outcome: nothing to ask later. A resumed order's answer was in
      // the earlier run, so it has no report here (and is not lost for that).
      for (const id of accepted.keys()) {
        const report = answered.get(id);
        if (report) states.set(id, report);
      }
    } else if (!signal.aborted && options.reconcile !== false && accepted.size > 0) {
      const outcome = await reconcile(
        (refs, s) => client.lookup(refs, s),
        accepted,
        {
          settleTimeoutMs: options.settleTimeoutMs ?? 30_000,
          pollIntervalMs: options.pollIntervalMs ?? 250,
          signal,
        },
        answered,
      );
      lost = outcome.lost;
      states = outcome.states;
      reconcileDurationMs = outcome.durationMs;
      orders.lost = lost.length;
    }
    notify();
    const sendDurationMs = sendEnded - started;
    try {
      writer.close(); // flushes buffered outcome lines
    } catch (error) {
      fatal ??= error;
    }
    if (fatal) throw unwritable(options.resultsFile, fatal);
    const aborted = signal.aborted;
    if (!aborted) ledger.assertBalanced();
    return {
      label,
      target: url.origin,
      aborted,
      balanced: lines.read === lines.sent + lines.failed + lines.quarantined && ledger.balanced,
      ledger: ledger.counts,
      lines,
      orders,
      lost,
      failures,
      quarantined,
      states,
      refs: new Map([...accepted].map(([id, { ref }]) => [id, ref])),
      latencyMs: latency.summary(),
      schedule: {
        speed,
        multiply,
        concurrency,
        clockOffsetMs,
        targetClock: clock !== undefined,
        lagMs: lag.summary(),
        sendDurationMs: Math.round(sendDurationMs),
        reconcileDurationMs,
        throughput: orders.attempted / Math.max(sendDurationMs / 1000, 1e-3),
      },
      resultsFile: options.resultsFile,
    };
  } finally {
    try {
      writer.close();
    } catch {
      // already reported above, or an error is on its way out
    }
    await client.close();
  }
}

function unwritable(file: string, error: unknown) {
  const reason =
    error instanceof Error && 'code' in error ? `${String(error.code)} ${error.message}` : String(error);
  return shipgateError('SG_RUN_DIR_UNWRITABLE', { dir: dirname(file), reason }, error);
}
