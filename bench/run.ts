/**
 * `npm run bench`: every benchmark, one after another (they measure a shared two-core
 * machine, so never in parallel), each writing its own section of docs/benchmarks.md
 * with the command that made it. Pass names to run some: `npm run bench -- replay traffic`.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const BENCHES = [
  // --expose-gc: the traffic figures include the heap retained after a full collection.
  { name: 'traffic', script: 'bench/traffic.ts', node: ['--expose-gc'] },
  { name: 'replay', script: 'bench/replay.ts', node: [] },
  { name: 'scenario', script: 'bench/scenario.ts', node: [] },
  { name: 'decisions', script: 'bench/decisions/run.ts', node: [] },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2);
const tsx = import.meta.resolve('tsx');
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  const args = [...bench.node, '--import', tsx, bench.script];
  process.stdout.write(
    `\n== ${bench.name}: node ${[...bench.node, '--import tsx', bench.script].join(' ')}\n`,
  );
  const started = Date.now();
  const result = await execa(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    reject: false,
  });
  process.stdout.write(
    `== ${bench.name}: exit ${result.exitCode} after ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  if (result.exitCode !== 0) process.exitCode = 1;
}
