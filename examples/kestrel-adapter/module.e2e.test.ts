import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { createRunFolder } from '../../core/run/run-folder.ts';
import { generateDay } from '../../scenarios/generate/day.ts';
import { resolvePlatform } from '../../scenarios/platform/resolve.ts';
import { runReplayLayer } from '../../scenarios/replay/run.ts';
import { writeTraffic } from '../../scenarios/traffic/write.ts';
import { startPlatform } from '../own-platform/platform.ts';
import { articleOf } from './kestrel-adapter.ts';

/**
 * The TypeScript-module form of a platform adapter (kestrel-adapter.ts), loaded the way
 * `target.platform: { module: './kestrel-adapter.ts' }` loads it, against the running
 * Kestrel: its brownout (5% of the next build's requests shed with 503) is retried under
 * the same reference, so every order lands once and the decisions match.
 */
let dir: string;
let traffic: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-kestrel-module-'));
  traffic = join(dir, 'day.jsonl');
  const out = createWriteStream(traffic);
  await writeTraffic(generateDay({ orders: 200, seed: 'module' }), out, 'jsonl');
  out.end();
  await finished(out);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a platform adapter module (definePlatform)', () => {
  it('maps SKUs onto stocked articles, the same one each time', () => {
    expect(articleOf('PHN-0007')).toMatch(/^KS-(0\d{3}|0100)$/);
    expect(articleOf('PHN-0007')).toBe(articleOf('PHN-0007'));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => articleOf(`SKU-${i}`)));
    expect(spread.size).toBeGreaterThan(50);
  });

  it('replays through the module: retries of shed requests keep their reference, nothing lost or doubled', async () => {
    const platform = await startPlatform({ timeScale: 600, defects: ['brownout'], seed: 3 });
    try {
      const adapter = await resolvePlatform(
        { module: './kestrel-adapter.ts' },
        { baseDir: import.meta.dirname },
      );
      expect(adapter.name).toBe('kestrel-module');
      const result = await runReplayLayer({
        file: traffic,
        candidate: platform.urls.next,
        baseline: platform.urls.current,
        platform: adapter,
        folder: () => createRunFolder({ dir: join(dir, 'run') }),
        speed: Number.POSITIVE_INFINITY,
        concurrency: 8,
        settleTimeoutMs: 60_000,
        pollIntervalMs: 100,
      });
      const { candidate } = result;
      expect(candidate.balanced).toBe(true);
      expect(candidate.lines).toMatchObject({ read: 200, sent: 200, failed: 0 });
      expect(candidate.lost).toEqual([]);
      // The brownout shed some first attempts; the retries landed under the same reference.
      expect(candidate.orders.retried).toBeGreaterThan(0);
      expect(candidate.orders.duplicates).toBe(0);
      expect(candidate.states.size).toBe(200);
      expect(result.diff).toMatchObject({ verdict: 'pass', ordersWithDiffs: 0, compared: 200 });
    } finally {
      await platform.stop();
    }
  }, 240_000);

  it('refuses a module that does not export an adapter, naming it and the key', async () => {
    writeFileSync(join(dir, 'not-an-adapter.mjs'), 'export default { name: "half", submit: () => ({}) };\n');
    const error = await resolvePlatform({ module: './not-an-adapter.mjs' }, { baseDir: dir }).catch((e) => e);
    expect(isShipgateError(error) && error.code).toBe('SG_PLATFORM_ADAPTER_INVALID');
    expect(String(error.message)).toBe(
      'platform adapter ./not-an-adapter.mjs: readSubmit: must be a function',
    );
    const missing = await resolvePlatform({ module: './nowhere.ts' }, { baseDir: dir }).catch((e) => e);
    expect(String(missing.message)).toMatch(/^platform adapter \.\/nowhere\.ts: module: cannot load/);
  });
});
