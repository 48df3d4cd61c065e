/**
 * `npx tsx bench/decisions/compare-margins.ts RUNS TRAFFIC CELLS VARIANTS`: shipgate's
 * sequential judge with other default margins on chosen cells of the decision benchmark,
 * e.g. `40 600,6000 aa-cold,p95-x1.5 '[{"e":0.1,"l":0.05},{"e":0,"l":0}]'` (e/l: the events
 * and latency relative margins). How the defaults in canary/judges/config.ts were chosen;
 * prints false-rollback or detection rate and median canary orders exposed per variant.
 */
import { runCell } from './measure.ts';
import { shipgatePolicy } from './policies/shipgate.ts';
import { DEFAULT_PLAN, DEFECTS } from './world.ts';

const runs = Number(process.argv[2] ?? 40);
const traffic = (process.argv[3] ?? '600,6000,60000').split(',').map(Number);
const cells = (process.argv[4] ?? 'aa,aa-slow3,aa-cold,p95-x1.5').split(',');
const variants = JSON.parse(process.argv[5] ?? '[{"e":0.1,"l":0.05},{"e":0,"l":0}]') as {
  e: number;
  l: number;
}[];
const policies = variants.map((v) =>
  shipgatePolicy({ margins: { events: { relative: v.e }, latency: { relative: v.l } } }, `e${v.e}-l${v.l}`),
);
for (const t of traffic)
  for (const c of cells) {
    const d = DEFECTS.find((x) => x.id === c)!;
    const t0 = performance.now();
    const r = runCell(t, d, DEFAULT_PLAN, policies, runs);
    console.log(
      `${t}\t${c}\t${r.policies.map((p) => `${p.policy}: ${(p.rollbackRate * 100).toFixed(1)}% ${p.medianExposed}`).join('\t')}\t${((performance.now() - t0) / 1000).toFixed(1)}s`,
    );
  }
