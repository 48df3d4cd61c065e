import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type World } from '../../../sandbox/launch/world.ts';
import { generateDay } from '../../../scenarios/generate/index.ts';
import { runReplayCommand } from './replay.ts';

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
});
