import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARKS_DOC, writeSection } from '../benchmarks-doc.ts';
import type { CellResult } from './measure.ts';
import { type BenchMeta, html, markdownSection } from './report.ts';
import { DEFAULT_PLAN, DEFECTS, TRAFFIC } from './world.ts';

/**
 * `npm run bench:decisions [-- --quick] [--runs N] [--workers N] [--no-write] [--write] [--from-json FILE]`
 *
 * `--quick` is a smoke run (100 rollouts per cell) that prints the section but does not
 * overwrite the published figures unless `--write` is also given.
 * Simulates seeded rollouts for every defect × traffic cell, runs every policy on the
 * same streams, and writes the `## Decision quality` section of docs/benchmarks.md, the
 * chart docs/decision-quality.html and the raw results bench/decisions/results/latest.json.
 * Cells are spread over forked workers (default: 2, the machine's budget).
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    workers: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    // Re-render the docs from a saved results file without simulating again.
    'from-json': { type: 'string' },
  },
});
const runs = Number(values.runs ?? (values.quick ? 100 : 1000));
const workers = Math.max(1, Math.min(Number(values.workers ?? 2), availableParallelism()));
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);

// Largest cells first so the workers finish together.
const cells = TRAFFIC.flatMap((t) => DEFECTS.map((d) => ({ defect: d.id, ordersPerDay: t }))).sort(
  (a, b) => b.ordersPerDay - a.ordersPerDay || (a.defect === 'aa' ? -1 : b.defect === 'aa' ? 1 : 0),
);

const started = performance.now();
const saved = values['from-json']
  ? (JSON.parse(readFileSync(values['from-json'], 'utf8')) as { meta: BenchMeta; results: CellResult[] })
  : undefined;
const results: CellResult[] = saved ? saved.results : [];
if (saved) {
  for (const r of results) {
    for (const p of r.policies) {
      p.medianExposed ??= Number.POSITIVE_INFINITY;
      p.medianLate ??= Number.POSITIVE_INFINITY;
      p.medianMinutes ??= Number.NaN;
    }
  }
}
await new Promise<void>((resolve, reject) => {
  if (saved) return resolve();
  let next = 0;
  let live = workers;
  for (let w = 0; w < workers; w++) {
    const child = fork(join(here, 'worker.ts'), [], { execArgv: ['--import', 'tsx'] });
    const feed = () => {
      const c = cells[next++];
      if (c) child.send({ ...c, runs });
      else child.send('done');
    };
    child.on('message', (m: CellResult | 'ready') => {
      if (m !== 'ready') {
        // IPC is JSON: Infinity and NaN arrive as null.
        for (const p of m.policies) {
          p.medianExposed ??= Number.POSITIVE_INFINITY;
          p.medianLate ??= Number.POSITIVE_INFINITY;
          p.medianMinutes ??= Number.NaN;
        }
        results.push(m);
        const sg = m.policies.find((p) => p.policy === 'shipgate');
        process.stderr.write(
          `[${results.length}/${cells.length}] ${m.defect} @ ${m.ordersPerDay}/day: shipgate ${((sg?.rollbackRate ?? 0) * 100).toFixed(1)}% rolled back, median exposed ${sg?.medianExposed}\n`,
        );
      }
      feed();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
      else if (--live === 0) resolve();
    });
  }
});
const seconds = (performance.now() - started) / 1000;

results.sort(
  (a, b) =>
    a.ordersPerDay - b.ordersPerDay ||
    DEFECTS.findIndex((d) => d.id === a.defect) - DEFECTS.findIndex((d) => d.id === b.defect),
);
const args = process.argv.slice(2).join(' ');
const meta: BenchMeta = saved?.meta ?? {
  command: `npm run bench:decisions${args ? ` -- ${args}` : ''}`,
  date: new Date().toISOString().slice(0, 10),
  runs,
  seconds,
  planText: `canary weight ${DEFAULT_PLAN.weights.map((w, i) => `${w}% for ${DEFAULT_PLAN.minutes[i]! / 60} h`).join(', ')}, then promotion to 100%; judged every virtual minute, starting 08:00`,
};
const section = markdownSection(results, meta);
process.stdout.write(`${section}\n`);
if (values.write || (!values['no-write'] && !values.quick)) {
  mkdirSync(dirname(BENCHMARKS_DOC), { recursive: true });
  writeSection(section, BENCHMARKS_DOC);
  writeFileSync(join(root, 'docs', 'decision-quality.html'), html(results, meta, section));
  mkdirSync(join(here, 'results'), { recursive: true });
  if (!saved)
    writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify({ meta, results }, null, 2)}\n`);
  process.stderr.write(
    `wrote docs/benchmarks.md (## Decision quality), docs/decision-quality.html in ${seconds.toFixed(0)} s\n`,
  );
}
