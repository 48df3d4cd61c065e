import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { replay } from './replayer.ts';
import {
  recordsFromLines,
  recordsFromOrders,
  type Sink,
  sampleOrder,
  sampleOrders,
  startSink,
} from './testing.ts';
import { TRACEPARENT_PATTERN } from './traceparent.ts';

let dir: string;
let sinks: Sink[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-replay-'));
});
afterEach(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  sinks = [];
  rmSync(dir, { recursive: true, force: true });
});
async function sink(options: Parameters<typeof startSink>[0] = {}) {
  const s = await startSink(options);
  sinks.push(s);
  return s;
}

describe('replay', () => {
  it('sends at the compressed recorded times, on the target clock, with clones', async () => {
    const platform = await sink({ clock: { now: '2030-01-01T00:00:00.000Z', speed: 60 } });
    // Four orders one virtual minute apart; speed 600 → 100 ms apart in real time.
    const orders = sampleOrders(4, { everyMs: 60_000 });
    const started = Date.now();
    const result = await replay({
      records: recordsFromOrders(orders),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: 600,
      multiply: 3,
    });
    expect(result.lines).toMatchObject({ read: 4, sent: 4, failed: 0, quarantined: 0 });
    expect(result.orders).toMatchObject({ attempted: 12, accepted: 12, lost: 0 });
    expect(result.balanced).toBe(true);
    const ids = platform.arrivals.map((a) => a.id).sort();
    expect(ids).toEqual(
      [
        'o-1',
        'o-1:x1',
        'o-1:x2',
        'o-2',
        'o-2:x1',
        'o-2:x2',
        'o-3',
        'o-3:x1',
        'o-3:x2',
        'o-4',
        'o-4:x1',
        'o-4:x2',
      ].sort(),
    );
    // Never early: order k cannot reach the sink before (k-1) × 100 ms of schedule.
    for (let k = 1; k <= 4; k++) {
      const arrival = platform.arrivals.find((a) => a.id === `o-${k}`)!;
      expect(arrival.atMs - started, `o-${k}`).toBeGreaterThanOrEqual((k - 1) * 100 - 2);
    }
    const first = platform.arrivals.find((a) => a.id === 'o-1')!;
    // Shifted onto the target's virtual clock (year 2030), promise kept relative to creation.
    expect(first.createdAt.startsWith('2030-01-01')).toBe(true);
    expect(Date.parse(first.promisedBy) - Date.parse(first.createdAt)).toBe(3 * 86_400_000);
    expect(result.schedule.targetClock).toBe(true);
    // Idempotency key = order id; a valid traceparent on every request.
    for (const arrival of platform.arrivals) {
      expect(arrival.key).toBe(arrival.id);
      expect(arrival.traceparent).toMatch(TRACEPARENT_PATTERN);
    }
    expect(new Set(platform.arrivals.map((a) => a.traceparent)).size).toBe(12);
  });

  it('defaults to the target clock speed and works without a clock', async () => {
    const platform = await sink({ clock: false });
    const result = await replay({
      records: recordsFromOrders(sampleOrders(3, { everyMs: 1 })),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
    });
    expect(result.schedule).toMatchObject({ speed: 1, targetClock: false, clockOffsetMs: 0 });
    expect(result.lines.sent).toBe(3);
  });

  it('does not stall on out-of-order records: a record later than the window is sent at once, flagged late', async () => {
    const platform = await sink();
    const orders = sampleOrders(8, { everyMs: 1000 });
    // Move one early order to the end of the file, past the reorder window.
    const early = orders.splice(1, 1)[0]!;
    orders.push(early);
    // And one slightly out of order, within the window: repaired silently.
    [orders[3], orders[4]] = [orders[4]!, orders[3]!];
    const result = await replay({
      records: recordsFromOrders(orders),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: 20,
      reorderWindow: 3,
    });
    expect(result.lines).toMatchObject({ read: 8, sent: 8, late: 1 });
    const order = platform.arrivals.map((a) => a.id);
    expect(order.indexOf('o-4')).toBeLessThan(order.indexOf('o-5'));
    // Sent as soon as it was read, ahead of the records still held in the window.
    expect(order.indexOf('o-2')).toBeLessThan(order.indexOf('o-8'));
    expect(order.indexOf('o-2')).toBeGreaterThan(order.indexOf('o-3'));
  });

  it('refuses a target outside the allowlist before a single request or file', async () => {
    let pulled = 0;
    async function* records() {
      pulled++;
      yield* recordsFromOrders([sampleOrder()]);
    }
    const resultsFile = join(dir, 'results.jsonl');
    const error = await replay({ records: records(), target: 'http://192.0.2.10:8080', resultsFile }).catch(
      (e) => e,
    );
    expect(isShipgateError(error) && error.code).toBe('SG_TARGET_NOT_ALLOWED');
    expect(pulled).toBe(0);
    expect(existsSync(resultsFile)).toBe(false);
  });

  it('respects the in-flight cap', async () => {
    const platform = await sink({ delayMs: 30 });
    const result = await replay({
      records: recordsFromOrders(sampleOrders(24, { everyMs: 1 })),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: Number.POSITIVE_INFINITY,
      concurrency: 3,
    });
    expect(result.lines.sent).toBe(24);
    expect(platform.maxInFlight).toBeLessThanOrEqual(3);
    expect(platform.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('retries 503 with the same idempotency key and fails other errors without retrying', async () => {
    const platform = await sink({ unavailable: (id, attempt) => id === 'o-2' && attempt === 1 });
    const orders = sampleOrders(3, { everyMs: 1 });
    const lines = orders.map((o) => JSON.stringify(o));
    lines.push('{"not": "an order"}', '{broken');
    const result = await replay({
      records: recordsFromLines(lines),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: Number.POSITIVE_INFINITY,
    });
    expect(result.lines).toMatchObject({ read: 5, sent: 3, failed: 0, quarantined: 2 });
    expect(result.orders.retried).toBe(1);
    expect(platform.requests.get('o-2')).toEqual({ first: 1, retries: 1 });
    const results = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.filter((r) => r.t === 'outcome')).toHaveLength(3);
    expect(results.filter((r) => r.t === 'quarantined').map((r) => r.line)).toEqual([4, 5]);
    expect(results.find((r) => r.t === 'outcome' && r.id === 'o-2')).toMatchObject({
      status: 'accepted',
      http: 202,
      attempt: 2,
    });
  });

  it('records a failed order when the target is unreachable, after bounded retries', async () => {
    const platform = await sink();
    const url = platform.url;
    await platform.close();
    sinks = [];
    const result = await replay({
      records: recordsFromOrders(sampleOrders(2, { everyMs: 1 })),
      target: url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: Number.POSITIVE_INFINITY,
      maxAttempts: 2,
      shiftToTargetClock: false,
    });
    expect(result.lines).toMatchObject({ read: 2, sent: 0, failed: 2 });
    expect(result.failures[0]?.error).toMatch(/ECONNREFUSED.*after 2 attempts/);
    expect(result.balanced).toBe(true);
  });

  it('names the orders the platform accepted and then lost or never processed', async () => {
    const platform = await sink({ drop: (id) => id === 'o-3' || id === 'o-7', stall: (id) => id === 'o-5' });
    const result = await replay({
      records: recordsFromOrders(sampleOrders(8, { everyMs: 1 })),
      target: platform.url,
      resultsFile: join(dir, 'results.jsonl'),
      speed: Number.POSITIVE_INFINITY,
      settleTimeoutMs: 300,
      pollIntervalMs: 50,
    });
    expect(result.lines.sent).toBe(8);
    expect(result.orders.lost).toBe(3);
    expect(result.lost).toEqual([
      { id: 'o-3', line: 3, reason: 'missing' },
      { id: 'o-5', line: 5, reason: 'unsettled', lastStatus: 'accepted' },
      { id: 'o-7', line: 7, reason: 'missing' },
    ]);
    expect(result.states.size).toBe(6);
  });

  describe('faults', () => {
    it('retries a reset connection with the same key; the platform creates the order once', async () => {
      const platform = await sink({ reset: (id, attempt) => id === 'o-2' && attempt === 1 });
      const result = await replay({
        records: recordsFromOrders(sampleOrders(3, { everyMs: 1 })),
        target: platform.url,
        resultsFile: join(dir, 'results.jsonl'),
        speed: Number.POSITIVE_INFINITY,
      });
      expect(result.lines).toMatchObject({ sent: 3, failed: 0 });
      expect(result.orders.retried).toBe(1);
      expect(platform.requests.get('o-2')).toEqual({ first: 1, retries: 1 });
      expect(platform.arrivals.filter((a) => a.id === 'o-2')).toHaveLength(1);
    });

    it('counts an order the platform took but never answered for as accepted, after a lookup', async () => {
      const platform = await sink({ resetAfter: (id) => id === 'o-2' });
      const result = await replay({
        records: recordsFromOrders(sampleOrders(3, { everyMs: 1 })),
        target: platform.url,
        resultsFile: join(dir, 'results.jsonl'),
        speed: Number.POSITIVE_INFINITY,
        maxAttempts: 2,
      });
      expect(result.lines).toMatchObject({ sent: 3, failed: 0 });
      expect(result.orders).toMatchObject({ accepted: 3, confirmed: 1, lost: 0 });
      expect(platform.requests.get('o-2')).toEqual({ first: 1, retries: 1 });
      const outcome = readFileSync(join(dir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((r) => r.t === 'outcome' && r.id === 'o-2');
      expect(outcome).toMatchObject({ status: 'accepted', http: 0, confirmed: true });
    });

    it('gives up on a hanging target after bounded timeouts, and records the order as failed', async () => {
      const platform = await sink({ hang: (id) => id === 'o-1' });
      const started = Date.now();
      const result = await replay({
        records: recordsFromOrders(sampleOrders(2, { everyMs: 1 })),
        target: platform.url,
        resultsFile: join(dir, 'results.jsonl'),
        speed: Number.POSITIVE_INFINITY,
        timeoutMs: 150,
        maxAttempts: 2,
        settleTimeoutMs: 200,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.lines).toMatchObject({ read: 2, sent: 1, failed: 1 });
      expect(result.failures[0]).toMatchObject({ id: 'o-1', http: 0 });
      expect(result.failures[0]!.error).toMatch(/UND_ERR_HEADERS_TIMEOUT after 2 attempts/);
      expect(result.balanced).toBe(true);
    });

    it('in a 5xx storm retries only 503 (same key), fails 500 at once, and accounts for every line', async () => {
      const platform = await sink({ status: (id) => (id === 'o-1' ? 503 : id === 'o-2' ? 500 : undefined) });
      const result = await replay({
        records: recordsFromOrders(sampleOrders(3, { everyMs: 1 })),
        target: platform.url,
        resultsFile: join(dir, 'results.jsonl'),
        speed: Number.POSITIVE_INFINITY,
        maxAttempts: 3,
      });
      expect(result.lines).toMatchObject({ read: 3, sent: 1, failed: 2 });
      expect(platform.requests.get('o-1')).toEqual({ first: 1, retries: 2 });
      expect(platform.requests.get('o-2')).toEqual({ first: 1, retries: 0 });
      expect(result.failures.map((f) => [f.id, f.http])).toEqual(
        expect.arrayContaining([
          ['o-1', 503],
          ['o-2', 500],
        ]),
      );
    });

    it('stops before sending when the results file cannot be written (disk full)', async () => {
      const platform = await sink();
      const error = await replay({
        records: recordsFromOrders(sampleOrders(3, { everyMs: 1 })),
        target: platform.url,
        resultsFile: '/dev/full',
        speed: Number.POSITIVE_INFINITY,
      }).catch((e) => e);
      expect(isShipgateError(error) && error.code).toBe('SG_RUN_DIR_UNWRITABLE');
      expect(String(error.message)).toContain('ENOSPC');
      expect(platform.requests.size).toBe(0);
    });

    it('refuses an unwritable run folder with SG_RUN_DIR_UNWRITABLE', async () => {
      const platform = await sink();
      const error = await replay({
        records: recordsFromOrders(sampleOrders(1)),
        target: platform.url,
        resultsFile: join(dir, 'no-such-dir', 'results.jsonl'),
      }).catch((e) => e);
      expect(isShipgateError(error) && error.code).toBe('SG_RUN_DIR_UNWRITABLE');
    });
  });
});
