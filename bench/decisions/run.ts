import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARKS_DOC, writeSection } from '../benchmarks-doc.ts';
import type { CellResult } from './measure.ts';
import { gridPolicies, referencePolicies } from './policies/index.ts';
import { type BenchMeta, html, markdownSection } from './report.ts';
import { eligibleCount, FAMILIES, finalists, SEARCH_CEILING } from './select.ts';
import type { CellJob } from './worker.ts';
import { DEFAULT_PLAN, DEFECTS, isFalseRollbackCell, TRAFFIC } from './world.ts';

/**
 * `npm run bench:decisions [-- --quick] [--runs N] [--search-runs N] [--workers N] [--no-write] [--write] [--from-json FILE]`
 *
 * Two phases. Search: every point of each peer's settings grid (policies/*.ts) on
 * `--search-runs` rollouts per cell (default 200), on seeds of their own. Final: shipgate,
 * the reference policies and each family's finalists (select.ts: its 3 best per cell with
 * ≤ 2% A/A false rollbacks in the search, and its 3 calmest on A/A) on `--runs` rollouts
 * (default 1000), from which the report picks each family's best setting per cell at
 * ≤ 1% A/A. `--quick` (100 and 50 rollouts) prints the section without overwriting the
 * published figures unless `--write` is also given. Writes the `## Decision quality`
 * section of docs/benchmarks.md, docs/decision-quality.html and
 * bench/decisions/results/latest.json. Cells are spread over forked workers (default 2).
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'search-runs': { type: 'string' },
    workers: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    // Re-render the docs from a saved results file without simulating again.
    'from-json': { type: 'string' },
    // Skip the search: take its results from a file an earlier run wrote (results/search.json).
    'from-search': { type: 'string' },
  },
});
const runs = Number(values.runs ?? (values.quick ? 100 : 1000));
const searchRuns = Number(values['search-runs'] ?? (values.quick ? 50 : 200));
const workers = Math.max(1, Math.min(Number(values.workers ?? 2), availableParallelism()));
for (const [flag, n] of [
  ['--runs', runs],
  ['--search-runs', searchRuns],
] as const)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${n}`);

/** Seeds of the search phase: other rollouts than the published ones, so the chosen settings are not fitted to them. */
const SEARCH_SALT = 0x5ea4c4;

// Largest cells first so the workers finish together.
const cells = TRAFFIC.flatMap((t) => DEFECTS.map((d) => ({ defect: d.id, ordersPerDay: t }))).sort(
  (a, b) => b.ordersPerDay - a.ordersPerDay || (a.defect === 'aa' ? -1 : b.defect === 'aa' ? 1 : 0),
);

/** IPC is JSON: Infinity and NaN arrive as null. */
function revive(r: CellResult): CellResult {
  for (const p of r.policies) {
    p.medianExposed ??= Number.POSITIVE_INFINITY;
    p.medianLate ??= Number.POSITIVE_INFINITY;
    p.medianMinutes ??= Number.NaN;
  }
  return r;
}

function runJobs(jobs: CellJob[], phase: string): Promise<CellResult[]> {
  const out: CellResult[] = [];
  return new Promise((resolve, reject) => {
    let next = 0;
    let live = Math.min(workers, jobs.length);
    for (let w = 0; w < live; w++) {
      const child = fork(join(here, 'worker.ts'), [], { execArgv: ['--import', 'tsx'] });
      const feed = () => {
        const job = jobs[next++];
        child.send(job ?? 'done');
      };
      child.on('message', (m: CellResult | 'ready') => {
        if (m !== 'ready') {
          out.push(revive(m));
          const sg = m.policies.find((p) => p.policy === 'shipgate');
          process.stderr.write(
            `${phase} [${out.length}/${jobs.length}] ${m.defect} @ ${m.ordersPerDay}/day, ${m.policies.length} policies${sg ? `: shipgate ${(sg.rollbackRate * 100).toFixed(1)}% rolled back, median exposed ${sg.medianExposed}` : ''}\n`,
          );
        }
        feed();
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`worker exited with ${code}`));
        else if (--live === 0) resolve(out);
      });
    }
  });
}

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const saved = values['from-json']
  ? (JSON.parse(readFileSync(values['from-json'], 'utf8')) as { meta: BenchMeta; results: CellResult[] })
  : undefined;
let results: CellResult[];
let search: BenchMeta['search'] = [];
if (saved) {
  results = saved.results.map(revive);
} else {
  const grid = gridPolicies().map((p) => p.id);
  const found = values['from-search']
    ? (JSON.parse(readFileSync(values['from-search'], 'utf8')) as CellResult[]).map(revive)
    : await runJobs(
        // The within-margin A/A cells choose no finalist (select.ts), so the search skips them.
        cells
          .filter((c) => !DEFECTS.find((d) => d.id === c.defect)?.withinMargin)
          .map((c) => ({ ...c, runs: searchRuns, policies: grid, salt: SEARCH_SALT })),
        'search',
      );
  if (!values['from-search']) {
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'search.json'), JSON.stringify(found));
  }
  const chosen = finalists(
    found,
    DEFECTS.filter((d) => !isFalseRollbackCell(d)).map((d) => d.id),
  );
  search = TRAFFIC.flatMap((t) =>
    FAMILIES.map((family) => ({
      ordersPerDay: t,
      family,
      ...eligibleCount(found, family, t, SEARCH_CEILING),
    })),
  );
  const reference = referencePolicies().map((p) => p.id);
  results = await runJobs(
    cells.map((c) => ({ ...c, runs, policies: [...reference, ...(chosen.get(c.ordersPerDay) ?? [])] })),
    'final',
  );
}
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
  searchRuns,
  gridSize: Object.fromEntries(FAMILIES.map((f) => [f, gridPolicies().filter((p) => p.family === f).length])),
  search,
  seconds,
  loadAverage: loadAtStart,
  planText: `canary weight ${DEFAULT_PLAN.weights.map((w, i) => `${w}% for ${DEFAULT_PLAN.minutes[i]! / 60} h`).join(', ')}, then promotion to 100%; judged every virtual minute, starting 08:00`,
};
const section = markdownSection(results, meta);
process.stdout.write(`${section}\n`);
if (values.write || (!values['no-write'] && !values.quick)) {
  mkdirSync(dirname(BENCHMARKS_DOC), { recursive: true });
  writeSection(section, BENCHMARKS_DOC);
  writeFileSync(join(root, 'docs', 'decision-quality.html'), html(results, meta, section));
  mkdirSync(join(here, 'results'), { recursive: true });
  if (!saved) writeFileSync(join(here, 'results', 'latest.json'), resultsJson(meta, results));
  process.stderr.write(
    `wrote docs/benchmarks.md (## Decision quality), docs/decision-quality.html in ${seconds.toFixed(0)} s\n`,
  );
}

/** One line per policy and cell: the file stays readable in a diff at a few hundred policies. */
function resultsJson(m: BenchMeta, rs: CellResult[]): string {
  const cellsJson = rs.map((r) => {
    const { policies, ...head } = r;
    const inner = policies.map((p) => `      ${JSON.stringify(p)}`).join(',\n');
    return `    ${JSON.stringify(head).slice(0, -1)},"policies":[\n${inner}\n    ]}`;
  });
  return `{\n  "meta": ${JSON.stringify(m)},\n  "results": [\n${cellsJson.join(',\n')}\n  ]\n}\n`;
}
