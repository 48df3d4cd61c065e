import { runCell } from './measure.ts';
import { allPolicies } from './policies/index.ts';
import { DEFAULT_PLAN, DEFECTS } from './world.ts';

/**
 * A child process of run.ts (forked with the tsx loader): receives cells over IPC, runs
 * them on the policies named (all when none are), sends each result back, exits when
 * told there is no more work.
 */
export interface CellJob {
  defect: string;
  ordersPerDay: number;
  runs: number;
  policies?: string[];
  salt?: number;
}

const all = allPolicies();
process.on('message', (msg: CellJob | 'done') => {
  if (msg === 'done') process.exit(0);
  const defect = DEFECTS.find((d) => d.id === msg.defect);
  if (!defect) throw new Error(`unknown defect ${msg.defect}`);
  const wanted = msg.policies && new Set(msg.policies);
  const policies = wanted ? all.filter((p) => wanted.has(p.id)) : all;
  process.send?.(runCell(msg.ordersPerDay, defect, DEFAULT_PLAN, policies, msg.runs, msg.salt ?? 0));
});
process.send?.('ready');
