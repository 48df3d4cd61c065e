import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../../scenarios/replay/defaults.ts';
import { type Sink, sampleOrders, startSink } from '../../../scenarios/replay/testing.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { readReport } from '../../report/write.ts';
import { runReplayCommand } from '../actions/replay.ts';
import { run } from '../program.ts';
import { registerReplay } from './replay.ts';

let dir: string;
let sinks: Sink[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-replay-cli-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(sinks.map((s) => s.close()));
  sinks = [];
  rmSync(dir, { recursive: true, force: true });
});

const MARKERS = {
  name: 'Zqxmarkername Vrtz',
  phone: '+15550199321',
  email: 'zqxmarker@markers.test',
  line1: '77 Zqxmarkerstreet',
  line2: 'Flat Zqxmarkerflat',
  city: 'Zqxmarkercity',
  notes: 'call Zqxmarkernote at +15550199322',
};

function trafficFile(count: number): string {
  const orders = sampleOrders(count, { everyMs: 30_000 }).map((order) => ({
    ...order,
    customer: {
      ...order.customer,
      name: MARKERS.name,
      phone: MARKERS.phone,
      email: MARKERS.email,
      address: { ...order.customer.address, line1: MARKERS.line1, line2: MARKERS.line2, city: MARKERS.city },
    },
    notes: MARKERS.notes,
  }));
  const lines = orders.map((o) => JSON.stringify(o));
  lines.splice(3, 0, `{"id": "broken", "customer": {"name": "${MARKERS.name}"`);
  const file = join(dir, 'day.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function sink(options: Parameters<typeof startSink>[0] = {}) {
  const s = await startSink(options);
  sinks.push(s);
  return s;
}

const base = {
  multiply: 1,
  concurrency: 8,
  timeout: 5000,
  settleTimeout: 500,
  diffBudget: 0.01,
  allowHost: [] as string[],
  progress: false,
  json: true,
  pollIntervalMs: 20,
};

describe('shipgate replay', () => {
  it('passes when the candidate decides like the baseline and loses nothing', async () => {
    const file = trafficFile(20);
    const [baseline, candidate] = await Promise.all([sink(), sink()]);
    const out = join(dir, 'run');
    const result = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      baseline: baseline.url,
      speed: Number.POSITIVE_INFINITY,
      out,
    });
    expect(result.exitCode).toBe(0);
    expect(result.summary.accounting).toMatchObject({
      read: 21,
      sent: 20,
      failed: 0,
      quarantined: 1,
      lost: 0,
    });
    expect(result.summary.diff).toMatchObject({ ordersWithDiffs: 0, verdict: 'pass' });
    for (const name of [
      'results.jsonl',
      'results-baseline.jsonl',
      'quarantine.jsonl',
      'diff.json',
      'replay.json',
      'report.json',
      'report.md',
      'junit.xml',
      'journal.jsonl',
    ]) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    expect(readReport(out).layers.replay?.status).toBe('pass');
  });

  it('names the region and carrier change, and the lost orders, and exits 1 — without a trace of PII', async () => {
    const file = trafficFile(40);
    const baseline = await sink();
    const candidate = await sink({
      carrier: (order) => (order.destination.region === 'NW' ? 'steppe' : 'labelfast'),
      drop: (id) => id === 'o-7' || id === 'o-30',
    });
    const out = join(dir, 'run');
    const progress = Object.assign(new PassThrough(), { isTTY: false });
    let progressText = '';
    progress.on('data', (chunk) => {
      progressText += chunk.toString();
    });
    const result = await runReplayCommand(file, {
      ...base,
      progress: true,
      progressStream: progress,
      target: candidate.url,
      baseline: baseline.url,
      speed: 1440,
      out,
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary.lost.map((l) => l.id)).toEqual(['o-7', 'o-30']);
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8'));
    const carrier = diff.groups.find((g: { field: string }) => g.field === 'carrier');
    expect(carrier.summary).toMatch(/^carrier changed labelfast→steppe in \d+% of orders, all in region NW$/);
    const report = readReport(out);
    expect(report.decision.verdict).toBe('fail');
    expect(report.layers.replay?.accounting.lostOrderIds).toEqual(['o-7', 'o-30']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('region NW');

    // PII: no marker in any file the run wrote, in the progress output or on stdout.
    const written = readdirSync(out).map((name) => readFileSync(join(out, name), 'utf8'));
    const stdout = vi
      .mocked(process.stdout.write)
      .mock.calls.map((c) => String(c[0]))
      .join('');
    for (const text of [...written, progressText, stdout]) {
      for (const marker of ['Zqxmarker', '15550199321', '15550199322', 'markers.test'])
        expect(text).not.toContain(marker);
    }
    expect(progressText).toMatch(/replay: 41\/41 lines/);
  });

  it('resumes an interrupted run without sending any order twice', async () => {
    const file = trafficFile(30);
    let arrivals = 0;
    const controller = new AbortController();
    const candidate = await sink({ onArrival: () => ++arrivals === 12 && controller.abort() });
    const out = join(dir, 'run');
    const first = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      speed: Number.POSITIVE_INFINITY,
      concurrency: 2,
      out,
      signal: controller.signal,
    });
    expect(first.exitCode).toBe(3);
    expect(first.summary.interrupted).toBe(true);
    const second = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      speed: Number.POSITIVE_INFINITY,
      resume: out,
    });
    expect(second.exitCode).toBe(0);
    expect(second.summary.accounting).toMatchObject({ read: 31, sent: 30, quarantined: 1, lost: 0 });
    expect(second.summary.accounting.resumed).toBeGreaterThan(0);
    // At most one first attempt per id; an order in flight at the interruption was
    // re-sent with the same key (a retry), so the platform created each order once.
    for (const [id, count] of candidate.requests) expect(count.first, id).toBeLessThanOrEqual(1);
    expect(new Set(candidate.arrivals.map((a) => a.id)).size).toBe(30);
    expect(candidate.arrivals).toHaveLength(30);
    const quarantined = readFileSync(join(out, 'quarantine.jsonl'), 'utf8').trim().split('\n');
    expect(quarantined).toHaveLength(1);
    // Resuming with another target (or file) is refused: the accounting would be meaningless.
    const other = await sink();
    await expect(runReplayCommand(file, { ...base, target: other.url, resume: out })).rejects.toThrow(
      /that run replayed to target/,
    );
  });

  it('never passes a run that replayed nothing: empty, blank or binary input is inconclusive (exit 3)', async () => {
    const candidate = await sink();
    const inputs = {
      'empty.jsonl': Buffer.alloc(0),
      'blank.jsonl': Buffer.from('\n\n   \n\n'),
      'binary.jsonl': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const out = join(dir, `run-${name}`);
      const result = await runReplayCommand(file, {
        ...base,
        target: candidate.url,
        speed: Number.POSITIVE_INFINITY,
        out,
      });
      expect(result.exitCode, name).toBe(3);
      const report = readReport(out);
      expect(report.decision.verdict, name).toBe('inconclusive');
      expect(report.layers.replay?.checks.find((c) => c.id === 'replay/accounting')?.status, name).toBe(
        'inconclusive',
      );
      expect(report.layers.replay?.summary, name).not.toMatch(/no order was lost|no decision changed/);
      expect(result.summary.accounting.sent, name).toBe(0);
    }
    expect(candidate.arrivals).toHaveLength(0);
  });

  it('is inconclusive when the baseline failed to process every order: nothing was compared', async () => {
    const file = trafficFile(6);
    const failing = (_order: unknown, state: { status: string; outcome?: string; reason?: string }) => {
      Object.assign(state, { status: 'failed', outcome: 'error', reason: 'inventory timeout' });
    };
    const [baseline, candidate] = await Promise.all([sink({ decorate: failing }), sink()]);
    const out = join(dir, 'run');
    const result = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      baseline: baseline.url,
      speed: Number.POSITIVE_INFINITY,
      out,
    });
    expect(result.exitCode).toBe(3);
    expect(result.summary.diff).toMatchObject({ compared: 0, incomparable: 6 });
    const section = readReport(out).layers.replay;
    expect(section?.checks.find((c) => c.id === 'replay/diff')?.status).toBe('inconclusive');
    expect(section?.summary).toContain('no order could be compared with the baseline');
    expect(section?.summary).not.toContain('no decision changed');
  });

  it('counts orders the platform accepted but could not process, by outcome', async () => {
    const file = trafficFile(5);
    const candidate = await sink({
      decorate: (order, state) => {
        if (order.id !== 'o-1')
          Object.assign(state, { status: 'rejected', outcome: 'no_carrier', reason: 'no carrier quoted' });
      },
    });
    const out = join(dir, 'run');
    const result = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      speed: Number.POSITIVE_INFINITY,
      out,
    });
    expect(result.summary.processing).toEqual({ shipped: 1, notProcessed: { no_carrier: 4 } });
    const accounting = readReport(out).layers.replay?.checks.find((c) => c.id === 'replay/accounting');
    expect(accounting?.message).toContain('could not process 4 of them (no_carrier 4)');
  });

  it('refuses a missing file or a directory as scrub does (SG_FILE_UNREADABLE, exit 2), making no run folder', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    mkdirSync(join(dir, 'folder.jsonl'));
    mkdirSync(join(dir, 'folder'));
    const cases = [
      ['nope.jsonl', 'no such file'],
      ['folder.jsonl', 'is a directory'],
      ['folder', 'is a directory'],
    ] as const;
    const before = process.exitCode;
    for (const [name, reason] of cases) {
      stderr.mockClear();
      const out = join(dir, `never-${name}`);
      await run([
        'node',
        'shipgate',
        'replay',
        join(dir, name),
        '--target',
        'http://127.0.0.1:9',
        '--out',
        out,
      ]);
      expect(process.exitCode, name).toBe(2);
      expect(String(stderr.mock.calls[0]?.[0])).toContain(
        `SG_FILE_UNREADABLE: cannot read ${join(dir, name)}: ${reason}`,
      );
      expect(existsSync(out), name).toBe(false);
    }
    process.exitCode = before;
  });

  it('refuses --out into a folder that already holds a run (exit 2, naming --resume), leaving it untouched', async () => {
    const file = trafficFile(3);
    const candidate = await sink();
    const out = join(dir, 'run');
    const first = await runReplayCommand(file, {
      ...base,
      target: candidate.url,
      speed: Number.POSITIVE_INFINITY,
      out,
    });
    expect(first.exitCode).toBe(0);
    const journal = readFileSync(join(out, 'journal.jsonl'), 'utf8');
    const results = readFileSync(join(out, 'results.jsonl'), 'utf8');
    const again = runReplayCommand(file, {
      ...base,
      target: candidate.url,
      speed: Number.POSITIVE_INFINITY,
      out,
    });
    await expect(again).rejects.toMatchObject({ code: 'SG_RUN_DIR_IN_USE', exitCode: 2 });
    await expect(again).rejects.toThrow(`continue it with --resume ${out}`);
    expect(readFileSync(join(out, 'journal.jsonl'), 'utf8')).toBe(journal);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(results);
    expect(candidate.arrivals).toHaveLength(3);
  });

  it('has one default concurrency: --help, replay.concurrency and the README say what the code does', () => {
    const program = new Command();
    registerReplay(program);
    const option = program.commands[0]?.options.find((o) => o.long === '--concurrency');
    expect(option?.defaultValue).toBe(DEFAULT_REPLAY_CONCURRENCY);
    expect(resolveConfig().replay.concurrency).toBe(DEFAULT_REPLAY_CONCURRENCY);
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(
      `| \`replay.speed\`, \`.multiply\`, \`.concurrency\`, \`.settleTimeout\` | \`max\`, 1, ${DEFAULT_REPLAY_CONCURRENCY}, `,
    );
    expect(readme).toContain(
      `\`--concurrency\` (most requests in flight per target)\ndefaults to ${DEFAULT_REPLAY_CONCURRENCY}`,
    );
  });

  it('refuses a target off the allowlist with exit 2 before creating a run folder', async () => {
    const file = trafficFile(2);
    const out = join(dir, 'never');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    await run(['node', 'shipgate', 'replay', file, '--target', 'https://orders.example.com', '--out', out]);
    expect(process.exitCode).toBe(2);
    process.exitCode = before;
    expect(String(stderr.mock.calls[0]?.[0])).toContain('SG_TARGET_NOT_ALLOWED');
    expect(existsSync(out)).toBe(false);
  });
});
