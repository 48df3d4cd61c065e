import { runCell } from './measure.ts';
import { allPolicies } from './policies/index.ts';
import { DEFAULT_PLAN, DEFECTS } from './world.ts';

/**
 * A child process of run.ts (forked with the tsx loader): receives cells over IPC, runs
 * them, sends each result back, exits when told there is no more work.
 */
process.on('message', (msg: { defect: string; ordersPerDay: number; runs: number } | 'done') => {
  if (msg === 'done') process.exit(0);
  const defect = DEFECTS.find((d) => d.id === msg.defect);
  if (!defect) throw new Error(`unknown defect ${msg.defect}`);
  process.send?.(runCell(msg.ordersPerDay, defect, DEFAULT_PLAN, allPolicies(), msg.runs));
});
process.send?.('ready');
