import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type World } from '../../../sandbox/launch/world.ts';
import { generateDay } from '../../../scenarios/generate/index.ts';
import { runReplayCommand } from '../actions/replay.ts';

/**
 * End to end against the real sandbox world (stable and a canary with the wrong-carrier
 * defect): the diff must name the carrier change and region NW, and nothing is lost.
 * Small (120 orders, sent as fast as the cap allows) to stay within CI time; the full
 * day at --speed 1440 is the same code with more orders.
 */
let world: World;
let dir: string;
beforeAll(async () => {
  world = await startWorld({ canaryDefect: 'wrong-carrier', latency: 'none', speed: 1440 });
  dir = mkdtempSync(join(tmpdir(), 'sg-replay-sandbox-'));
});
afterAll(async () => {
  await world?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('shipgate replay against the sandbox', () => {
  it('names the carrier change in region NW (wrong-carrier defect) and loses nothing', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const file = join(dir, 'day.jsonl');
    writeFileSync(
      file,
      `${[...generateDay({ orders: 120, seed: 'sandbox-e2e' })].map((o) => JSON.stringify(o)).join('\n')}\n`,
    );
    const result = await runReplayCommand(file, {
      target: world.urls.canary,
      baseline: world.urls.stable,
      speed: Number.POSITIVE_INFINITY,
      multiply: 1,
      concurrency: 16,
      timeout: 10_000,
      settleTimeout: 30_000,
      diffBudget: 0.01,
      allowHost: [],
      progress: false,
      json: true,
      out: join(dir, 'run'),
    });
    vi.restoreAllMocks();
    expect(result.summary.accounting).toMatchObject({ read: 120, sent: 120, lost: 0 });
    expect(result.exitCode).toBe(1);
    const carrier = result.summary.diff?.groups.find((g) => g.field === 'carrier' && !g.noisy);
    expect(carrier?.summary).toMatch(/^carrier changed \w+→\w+ in \d+% of orders, all in region NW/);
  });

  it('A/A over two weeks of orders under CPU load: the same decisions in both builds', async () => {
    // The process that runs the world and the replayer stalls 40 ms in every 100 for the
    // whole replay, as a CPU-starved one does: timers fire late and answers come slowly,
    // which on a 1440× clock is a virtual minute a stall. The same order must still get
    // the same decision in both builds, or a difference the diff knows for timing noise.
    // (Busy threads on every core did the same, taking the CPU from the rest of the suite.)
    const stalls = setInterval(() => {
      const end = Date.now() + 40;
      while (Date.now() < end);
    }, 60);
    const aa = await startWorld({ canaryDefect: 'none', latency: 'none', speed: 1440 });
    try {
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const file = join(dir, 'weeks.jsonl');
      const days = Array.from({ length: 14 }, (_, d) => [
        ...generateDay({
          orders: 6,
          seed: `aa-${d}`,
          date: new Date(Date.UTC(2026, 10, 2 + d)).toISOString().slice(0, 10),
        }),
      ]).flat();
      writeFileSync(file, `${days.map((o) => JSON.stringify(o)).join('\n')}\n`);
      const result = await runReplayCommand(file, {
        target: aa.urls.canary,
        baseline: aa.urls.stable,
        // Two weeks in about 14 s: long enough for the busy threads to make every timer late.
        speed: 86_400,
        multiply: 1,
        concurrency: 16,
        timeout: 20_000,
        settleTimeout: 60_000,
        diffBudget: 0.01,
        allowHost: [],
        progress: false,
        json: true,
        out: join(dir, 'aa-run'),
      });
      expect(result.summary.accounting).toMatchObject({ read: days.length, lost: 0 });
      // No difference in when parcels leave or arrive is called a changed decision: those
      // are timing noise. What load still does (seen at load average 20+ on 2 cores): the
      // platform's own calls to inventory and carriers time out, and an order ends
      // `failed (error)` in one build — an outcome, reported as such, never as a pass
      // for the build that erred.
      const real = result.summary.diff?.groups.filter((g) => !g.noisy) ?? [];
      for (const group of real) expect(group.summary).toMatch(/^status changed .*\(error\)/);
      expect(
        real.filter((g) =>
          ['deliverySlackHours', 'etaSlackHours', 'cutoffMissed', 'onTime'].includes(g.field),
        ),
      ).toEqual([]);
    } finally {
      vi.restoreAllMocks();
      clearInterval(stalls);
      await aa.stop();
    }
  }, 180_000);
});
