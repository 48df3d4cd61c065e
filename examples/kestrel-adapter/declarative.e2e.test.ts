import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunFolder } from '../../core/run/run-folder.ts';
import { runReplayCommand } from '../../harness/cli/actions/replay.ts';
import { loadConfig } from '../../harness/config/load.ts';
import { generateDay } from '../../scenarios/generate/day.ts';
import { resolvePlatform } from '../../scenarios/platform/resolve.ts';
import type { PlatformAdapter } from '../../scenarios/platform/types.ts';
import { runReplayLayer } from '../../scenarios/replay/run.ts';
import { writeTraffic } from '../../scenarios/traffic/write.ts';
import { type RunningPlatform, startPlatform } from '../own-platform/platform.ts';

/**
 * Kestrel, a platform shipgate did not design, replayed through nothing but shipgate's
 * config and the declarative adapter in examples/own-platform/ (shipgate-platform.ts):
 * a generated day to its current and next builds, every order accounted for, an A/A
 * diff that passes, and the coast-carrier-swap defect found and named by field and area.
 */
const CONFIG = join(import.meta.dirname, '..', 'own-platform', 'shipgate.config.ts');
const ORDERS = 650;

let dir: string;
let traffic: string;

async function adapterFromConfig(platform: RunningPlatform): Promise<PlatformAdapter> {
  const env = { KESTREL_CURRENT_URL: platform.urls.current, KESTREL_NEXT_URL: platform.urls.next };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const { config, file } = await loadConfig({ file: CONFIG });
    expect(config.target?.canary).toBe(platform.urls.next);
    return await resolvePlatform(config.target?.platform, { baseDir: join(file!, '..') });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function replayDay(defects: string[], name: string) {
  const platform = await startPlatform({ timeScale: 600, defects: defects as never, seed: 7 });
  try {
    const adapter = await adapterFromConfig(platform);
    const result = await runReplayLayer({
      file: traffic,
      candidate: platform.urls.next,
      baseline: platform.urls.current,
      platform: adapter,
      folder: () => createRunFolder({ dir: join(dir, name) }),
      speed: Number.POSITIVE_INFINITY,
      concurrency: 16,
      settleTimeoutMs: 60_000,
      pollIntervalMs: 100,
    });
    return { adapter, result };
  } finally {
    await platform.stop();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-kestrel-'));
  traffic = join(dir, 'day.jsonl');
  const out = createWriteStream(traffic);
  await writeTraffic(generateDay({ orders: ORDERS, seed: 'kestrel' }), out, 'jsonl');
  out.end();
  await finished(out);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Kestrel through its declarative adapter', () => {
  it('A/A: every order of a generated day accounted for at both builds, no decision differs', async () => {
    const { adapter, result } = await replayDay([], 'aa');
    expect(adapter.name).toBe('kestrel');
    const lines = readFileSync(traffic, 'utf8').trim().split('\n').length;
    for (const side of [result.candidate, result.baseline!]) {
      expect(side.balanced).toBe(true);
      expect(side.lines.read).toBe(lines);
      expect(side.lines.sent + side.lines.failed + side.lines.quarantined).toBe(lines);
      expect(side.lost).toEqual([]);
      // Kestrel took every order (its depot never runs out), and each has a decision.
      expect(side.orders.accepted).toBe(side.lines.read - side.lines.quarantined);
      expect(side.states.size).toBe(side.orders.accepted);
      expect(side.orders.duplicates).toBe(0);
    }
    // Both carriers appear, and the promise is a date: the adapter read Kestrel's answers.
    const carriers = new Set([...result.candidate.states.values()].map((s) => s.carrier));
    expect(carriers).toEqual(new Set(['homefleet', 'gullwing']));
    expect([...result.candidate.states.values()][0]?.promisedBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.diff).toMatchObject({ verdict: 'pass', ordersWithDiffs: 0 });
    expect(result.diff!.compared).toBe(result.candidate.orders.accepted);
    expect(result.section.status).toBe('pass');
  }, 240_000);

  it('shipgate replay --config finds coast-carrier-swap: carrier gullwing→homefleet, named in area CQ, exit 1', async () => {
    const platform = await startPlatform({ timeScale: 600, defects: ['coast-carrier-swap'], seed: 7 });
    const env = { KESTREL_CURRENT_URL: platform.urls.current, KESTREL_NEXT_URL: platform.urls.next };
    Object.assign(process.env, env);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let result: Awaited<ReturnType<typeof runReplayCommand>>;
    try {
      result = await runReplayCommand(traffic, {
        config: CONFIG,
        target: platform.urls.next,
        baseline: platform.urls.current,
        speed: Number.POSITIVE_INFINITY,
        multiply: 1,
        concurrency: 16,
        timeout: 10_000,
        settleTimeout: 60_000,
        diffBudget: 0.01,
        allowHost: [],
        progress: false,
        json: true,
        out: join(dir, 'swap'),
        pollIntervalMs: 100,
      });
    } finally {
      vi.restoreAllMocks();
      for (const k of Object.keys(env)) delete process.env[k];
      await platform.stop();
    }
    expect(result.exitCode).toBe(1);
    expect(result.summary.accounting).toMatchObject({ read: ORDERS, sent: ORDERS, failed: 0, lost: 0 });
    const diff = result.summary.diff!;
    expect(diff.verdict).toBe('fail');
    const carrier = diff.groups.find((g) => g.field === 'carrier' && !g.noisy);
    expect(carrier).toMatchObject({
      from: 'gullwing',
      to: 'homefleet',
      attributes: { area: 'CQ', zone: 'coast' },
    });
    expect(carrier!.summary).toMatch(
      /^carrier changed gullwing→homefleet in \d+(\.\d+)?% of orders, all in zone coast/,
    );
    expect(carrier!.summary).toContain('area CQ');
    // Only that area moved: no other carrier group.
    expect(diff.groups.filter((g) => g.field === 'carrier' && !g.noisy)).toHaveLength(1);
  }, 240_000);
});
