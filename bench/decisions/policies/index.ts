import { argoPolicy } from './argo.ts';
import { flaggerPolicy } from './flagger.ts';
import { kayentaPolicy } from './kayenta.ts';
import { naivePolicy } from './naive.ts';
import { oraclePolicy } from './oracle.ts';
import { shipgatePolicy } from './shipgate.ts';
import type { Policy } from './types.ts';

export type { Decision, Policy, PolicyContext } from './types.ts';

/** The policies compared, side by side on the same streams. */
export function allPolicies(): Policy[] {
  return [
    shipgatePolicy(),
    flaggerPolicy(),
    argoPolicy(),
    kayentaPolicy(),
    // Kayenta judged at 99.9%: a stricter user setting, for a peer with fewer false rollbacks.
    kayentaPolicy({ confidence: 0.999, id: 'kayenta-999' }),
    naivePolicy(),
    naivePolicy(0.01 / (1440 * 3), 'naive-bonferroni', 'z-test every 1m, Bonferroni over all looks (1%)'),
    oraclePolicy(),
  ];
}
