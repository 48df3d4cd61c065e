/**
 * `npm run bench`: every benchmark, one after another (they measure a shared two-core
 * machine, so never in parallel), each writing its own section of docs/benchmarks.md
 * with the command that made it. Pass names to run some: `npm run bench -- replay traffic`.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const BENCHES = [
  { name: 'traffic', script: 'bench/traffic.ts', args: [] },
  { name: 'replay', script: 'bench/replay.ts', args: [] },
  { name: 'scenario', script: 'bench/scenario.ts', args: [] },
  { name: 'decisions', script: 'bench/decisions/run.ts', args: [] },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2);
const tsx = import.meta.resolve('tsx');
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  process.stdout.write(`\n== ${bench.name}: node --import tsx ${bench.script}\n`);
  const started = Date.now();
  const result = await execa(process.execPath, ['--import', tsx, bench.script, ...bench.args], {
    cwd: root,
    stdio: 'inherit',
    reject: false,
  });
  process.stdout.write(
    `== ${bench.name}: exit ${result.exitCode} after ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  if (result.exitCode !== 0) process.exitCode = 1;
}
