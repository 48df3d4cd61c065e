/**
 * Traffic-file benchmark: generation, streaming read + validation (JSONL, CSV) and
 * scrubbing of a generated day, with the heap each needs.
 *
 *   node --expose-gc --import tsx bench/traffic.ts [lines]   # default 200 000; writes docs/benchmarks.md
 *
 * Memory is sampled (heapUsed, every 2 000 records) while reading; with --expose-gc the
 * baseline is taken after a full collection. The readers hold one line at a time plus
 * the map of order ids seen (to name a duplicate's first line): that map is the only
 * part that grows with the file, and the figures show it next to the file size.
 */

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Order } from '../contracts/domain/order.ts';
import { generateDay } from '../scenarios/generate/day.ts';
import { scrubFile } from '../scenarios/pii/scrub-file.ts';
import { TEST_SCRUB_KEY } from '../scenarios/pii/test-key.ts';
import { SeenIds } from '../scenarios/traffic/check-order.ts';
import { readTraffic } from '../scenarios/traffic/read.ts';
import { writeTraffic } from '../scenarios/traffic/write.ts';
import { loadAverageNow, writeSection } from './benchmarks-doc.ts';

export interface TrafficBenchRow {
  step: string;
  records: number;
  seconds: number;
  perSecond: number;
  fileMB?: number;
  /** Peak heapUsed above the baseline while the step ran (live data and garbage), MB. */
  heapGrowthMB?: number;
  /** Heap still held after a full GC, MB; needs --expose-gc. */
  retainedMB?: number;
}

export interface TrafficBenchResult {
  lines: number;
  node: string;
  gcExposed: boolean;
  rows: TrafficBenchRow[];
  loadAverage: { start: number; end: number };
}

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

function baseline(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function benchTraffic({ lines = 200_000, writeDoc = false } = {}): Promise<TrafficBenchResult> {
  const loadAtStart = loadAverageNow();
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-traffic-'));
  const rows: TrafficBenchRow[] = [];
  try {
    for (const format of ['jsonl', 'csv', 'har'] as const) {
      const file = join(dir, `day.${format}`);
      let start = performance.now();
      const out = createWriteStream(file);
      const day = generateDay({ orders: lines, seed: 'bench' });
      const written = format === 'har' ? await writeHar(day, out) : await writeTraffic(day, out, format);
      out.end();
      await finished(out);
      let seconds = (performance.now() - start) / 1000;
      const fileMB = statSync(file).size / MB;
      rows.push({
        step: `generate → ${format}`,
        records: written,
        seconds,
        perSecond: written / seconds,
        fileMB,
      });

      const base = baseline();
      let peak = base;
      let records = 0;
      start = performance.now();
      for await (const record of readTraffic(file)) {
        if (record.kind === 'order') records++;
        if (records % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      seconds = (performance.now() - start) / 1000;
      rows.push({
        step: `read + validate ${format}`,
        records,
        seconds,
        perSecond: records / seconds,
        fileMB,
        heapGrowthMB: (peak - base) / MB,
      });
    }

    if (gc) rows.push(measureIdIndex(lines));

    const input = join(dir, 'day.jsonl');
    const base = baseline();
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const start = performance.now();
    const result = await scrubFile({
      input,
      output: join(dir, 'scrubbed.jsonl'),
      quarantineFile: join(dir, 'q.jsonl'),
      key: TEST_SCRUB_KEY,
    });
    clearInterval(sampler);
    const seconds = (performance.now() - start) / 1000;
    rows.push({
      step: 'scrub jsonl → jsonl',
      records: result.counts.sent,
      seconds,
      perSecond: result.counts.sent / seconds,
      fileMB: statSync(input).size / MB,
      heapGrowthMB: (peak - base) / MB,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bench = {
    lines,
    node: process.version,
    gcExposed: gc !== undefined,
    rows,
    loadAverage: { start: loadAtStart, end: loadAverageNow() },
  };
  if (writeDoc) writeSection(render(bench));
  return bench;
}

/**
 * The one structure a reader keeps for the whole file: the ids seen, to name a
 * duplicate's first line. Measured directly (heap after a full GC with and without it),
 * since a reader's live state is hard to separate from garbage mid-iteration.
 */
function measureIdIndex(count: number): TrafficBenchRow {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const seen = new SeenIds();
  // Ids shaped like the generator's (o-<seed tag>-<date>-<seq>), built fresh so the
  // strings themselves are counted, as a reader's are.
  for (let i = 1; i <= count; i++) seen.remember(`o-d307-20261127-${String(i).padStart(7, '0')}`, i);
  const seconds = (performance.now() - start) / 1000;
  gc!();
  const retainedMB = (process.memoryUsage().heapUsed - before) / MB;
  if (seen.size !== count) throw new Error('id index lost ids');
  return {
    step: `id index (duplicates): ${Math.round((retainedMB * MB) / count)} bytes per id`,
    records: count,
    seconds,
    perSecond: count / seconds,
    retainedMB,
  };
}

/** A browser-style HAR of order submissions, each with a small response, written with backpressure. */
async function writeHar(orders: Iterable<Order>, out: Writable): Promise<number> {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[');
  let count = 0;
  for (const order of orders) {
    const entry = {
      startedDateTime: order.createdAt,
      request: {
        method: 'POST',
        url: 'https://shop.example.com/v1/orders',
        postData: { mimeType: 'application/json', text: JSON.stringify(order) },
      },
      response: {
        status: 202,
        content: {
          mimeType: 'application/json',
          text: JSON.stringify({ orderId: order.id, status: 'accepted' }),
        },
      },
    };
    await write(`${count === 0 ? '' : ','}${JSON.stringify(entry)}`);
    count += 1;
  }
  await write(']}}');
  return count;
}

export function render(result: TrafficBenchResult): string {
  const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));
  return [
    '## Traffic files',
    '',
    `Command: \`node --expose-gc --import tsx bench/traffic.ts ${result.lines}\` (a generated normal day of ${result.lines.toLocaleString('en')} orders; measured ${new Date().toISOString().slice(0, 10)}, Node ${result.node}, 2 cores, load average ${result.loadAverage.start} at the start and ${result.loadAverage.end} at the end${result.gcExposed ? '' : '; without --expose-gc, so heap figures include uncollected garbage'}).`,
    '',
    '| step | records | seconds | records/s | file (MB) | peak heap growth (MB) | retained after GC (MB) |',
    '|---|---|---|---|---|---|---|',
    ...result.rows.map(
      (row) =>
        `| ${row.step} | ${row.records} | ${fmt(row.seconds, 2)} | ${Math.round(row.perSecond)} | ${fmt(row.fileMB)} | ${fmt(row.heapGrowthMB)} | ${fmt(row.retainedMB)} |`,
    ),
    '',
    "Readers stream: one line (bounded by `maxLineBytes`, 1 MiB) is held at a time, plus the map of order ids already seen, which names a duplicate's first line. The id index is the only state that grows with the file (with the number of orders, not their size): its row shows what it keeps after a full GC. “Peak heap growth” is sampled while reading and includes garbage not yet collected; HAR is streamed entry by entry (at most one entry, ≤ 64 MiB, held). The streaming test (`scenarios/traffic/hostile.test.ts`) checks the other half: the first records of a 100k-order day arrive after a few chunks of the file have been read.",
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lines = Number(process.argv[2] ?? 200_000);
  const result = await benchTraffic({ lines, writeDoc: true });
  console.log(render(result));
}
