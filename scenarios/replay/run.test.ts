import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunFolder } from '../../core/run/run-folder.ts';
import { runReplayLayer } from './run.ts';
import { type Sink, sampleOrders, startSink } from './testing.ts';

let dir: string;
let sinks: Sink[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-replay-run-'));
});
afterEach(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  sinks = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('runReplayLayer', () => {
  it('sends the same order with the same createdAt and promisedBy to the candidate and the baseline', async () => {
    // Two clocks that disagree by 40 virtual minutes: what a slow clock read under CPU
    // load looks like at 1440× (under 2 real seconds). Each target estimating its own
    // offset gave each build another promise for the same order.
    const now = Date.parse('2026-03-02T08:00:00.000Z');
    const [candidate, baseline] = await Promise.all([
      startSink({ clock: { now: new Date(now).toISOString(), speed: 1440 } }),
      startSink({ clock: { now: new Date(now + 40 * 60_000).toISOString(), speed: 1440 } }),
    ]);
    sinks.push(candidate, baseline);
    const file = join(dir, 'day.jsonl');
    writeFileSync(
      file,
      `${sampleOrders(12, { everyMs: 3_600_000 })
        .map((o) => JSON.stringify(o))
        .join('\n')}\n`,
    );
    const result = await runReplayLayer({
      file,
      candidate: candidate.url,
      baseline: baseline.url,
      folder: () => createRunFolder({ dir: join(dir, 'run') }),
      speed: Number.POSITIVE_INFINITY,
      settleTimeoutMs: 2000,
      pollIntervalMs: 20,
    });
    expect(result.candidate.lines.sent).toBe(12);
    const stamps = (s: Sink) => new Map(s.arrivals.map((a) => [a.id, `${a.createdAt} ${a.promisedBy}`]));
    expect(stamps(baseline)).toEqual(stamps(candidate));
    expect(result.baseline?.schedule.clockOffsetMs).toBe(result.candidate.schedule.clockOffsetMs);
  });
});
