import { existsSync, mkdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../harness/cli/program.ts';
import { sampleOrders, startSink } from '../../scenarios/replay/testing.ts';
import { cleanups } from './helpers.ts';

/**
 * Fault matrix: the disk fills up, or the run folder cannot be created. A real full
 * disk is a tiny tmpfs (mounted by the test when it may; as root, chmod does not stop
 * writes); an uncreatable folder is a path under a regular file. Each command must stop
 * with a clear error naming the folder and the reason, exit non-zero, and — for replay —
 * never send an order whose intent is not on disk (else a resume could send it twice).
 */
const c = cleanups();
let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await c.run();
});

async function shipgate(args: string[]): Promise<{ exitCode: number; stderr: string }> {
  process.exitCode = undefined;
  await run(['node', 'shipgate', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const text = stderr.join('');
  writeSync(
    2,
    `disk: shipgate ${args[0]} ${args[1]} → exit ${exitCode}: ${text.split('\n')[0]?.slice(0, 220)}\n`,
  );
  return { exitCode, stderr: text };
}

function trafficFile(dir: string, n: number): string {
  const file = join(dir, 'day.jsonl');
  writeFileSync(
    file,
    `${sampleOrders(n, { everyMs: 1000, prefix: 'd' })
      .map((o) => JSON.stringify(o))
      .join('\n')}\n`,
  );
  return file;
}

describe('fault matrix: disk full and unwritable run folders', () => {
  it('replay: run folder under a regular file → SG_RUN_DIR_UNWRITABLE, exit 3, nothing sent', async () => {
    const dir = c.tempDir();
    const file = trafficFile(dir, 5);
    const sink = await startSink();
    c.add(() => sink.close());
    writeFileSync(join(dir, 'blocker'), 'a regular file');
    const r = await shipgate([
      'replay',
      file,
      '--target',
      sink.url,
      '--speed',
      'max',
      '--no-progress',
      '--out',
      join(dir, 'blocker', 'run'),
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(
      /SG_RUN_DIR_UNWRITABLE: cannot write the run folder .*blocker.*(ENOTDIR|EEXIST)/,
    );
    expect(sink.requests.size).toBe(0);
  });

  it('replay: the disk fills up mid-run → SG_RUN_DIR_UNWRITABLE (ENOSPC), exit 3, every order that reached the platform has its intent on disk', async (ctx) => {
    const disk = c.tinyDisk(64);
    if (!disk)
      return ctx.skip(
        'a tmpfs cannot be mounted here (the /dev/full unit test in scenarios/replay still runs)',
      );
    const dir = c.tempDir();
    const file = trafficFile(dir, 2000);
    const sink = await startSink();
    c.add(() => sink.close());
    const out = join(disk, 'run');
    const r = await shipgate([
      'replay',
      file,
      '--target',
      sink.url,
      '--speed',
      'max',
      '--concurrency',
      '8',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/SG_RUN_DIR_UNWRITABLE: cannot write the run folder .*ENOSPC/);
    expect(r.stderr).not.toMatch(/unexpected failure/);
    const intents = new Set(
      readFileSync(join(out, 'results.jsonl'), 'utf8')
        .split('\n')
        .flatMap((l) => {
          try {
            const v = JSON.parse(l) as { t?: string; id?: string };
            return v.t === 'intent' && v.id ? [v.id] : [];
          } catch {
            return []; // the line the disk cut short
          }
        }),
    );
    expect(sink.arrivals.length).toBeGreaterThan(0);
    expect(sink.arrivals.length).toBeLessThan(2000);
    for (const a of sink.arrivals) expect(intents.has(a.id), a.id).toBe(true);
  });

  it('traffic generate and scrub onto a full disk → a clear error naming the file, non-zero exit', async (ctx) => {
    const disk = c.tinyDisk(32);
    if (!disk) return ctx.skip('a tmpfs cannot be mounted here');
    const dir = c.tempDir();
    const gen = await shipgate(['traffic', 'generate', '--orders', '2000', '--out', join(disk, 'day.jsonl')]);
    expect(gen.exitCode).not.toBe(0);
    expect(gen.stderr).toMatch(/ENOSPC/);
    expect(gen.stderr).toMatch(/day\.jsonl/);
    expect(gen.stderr).not.toMatch(/unexpected failure/);

    stderr = [];
    const file = trafficFile(dir, 500);
    process.env.SHIPGATE_SCRUB_KEY = 'reliability-suite-scrub-key-0001';
    try {
      const scrub = await shipgate([
        'traffic',
        'scrub',
        file,
        '--out',
        join(disk, 'scrubbed.jsonl'),
        '--run-dir',
        join(dir, 'run'),
      ]);
      expect(scrub.exitCode).not.toBe(0);
      expect(scrub.stderr).toMatch(/ENOSPC/);
      expect(scrub.stderr).not.toMatch(/unexpected failure/);
    } finally {
      delete process.env.SHIPGATE_SCRUB_KEY;
    }
  });

  it('canary judge: run folder under a regular file → SG_RUN_DIR_UNWRITABLE, exit 3', async () => {
    const dir = c.tempDir();
    writeFileSync(join(dir, 'blocker'), 'x');
    mkdirSync(join(dir, 'ok'));
    const r = await shipgate([
      'canary',
      'judge',
      '--scrape',
      'http://127.0.0.1:9/metrics',
      '--window',
      '10ms',
      '--run-dir',
      join(dir, 'blocker', 'run'),
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/SG_RUN_DIR_UNWRITABLE/);
    expect(existsSync(join(dir, 'blocker', 'run'))).toBe(false);
  });
});
