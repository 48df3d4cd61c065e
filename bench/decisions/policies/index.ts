import { argoGrid, argoPolicy } from './argo.ts';
import { flaggerGrid, flaggerPolicy } from './flagger.ts';
import { kayentaGrid, kayentaPolicy } from './kayenta.ts';
import { naivePolicy } from './naive.ts';
import { oraclePolicy } from './oracle.ts';
import { shipgatePolicy } from './shipgate.ts';
import type { Policy } from './types.ts';

export type { Decision, Family, Policy, PolicyContext } from './types.ts';

/**
 * Synthetic canary orders per minute for the "with synthetic load" rows: a modest load
 * tester (Flagger's docs run `hey` at 20 requests a second), 14,400 test orders a day.
 */
export const SYNTHETIC_PER_MINUTE = 10;

/** The reference policies: shipgate, each peer at its documented defaults, the naive tests, the oracle. */
export function referencePolicies(): Policy[] {
  return [
    shipgatePolicy(),
    {
      ...shipgatePolicy({}, 'shipgate+load', 'shipgate + the same synthetic load'),
      synthetic: SYNTHETIC_PER_MINUTE,
    },
    flaggerPolicy(),
    argoPolicy(),
    kayentaPolicy(),
    naivePolicy(),
    naivePolicy(0.01 / (1440 * 3), 'naive-bonferroni', 'z-test every 1m, Bonferroni over all looks (1%)'),
    oraclePolicy(),
  ];
}

/** Every point of every peer's settings grid (issue 22): each family's best is chosen per cell. */
export function gridPolicies(): Policy[] {
  return [
    ...flaggerGrid().map((x) => flaggerPolicy(x, { family: 'flagger' })),
    ...flaggerGrid().map((x) =>
      flaggerPolicy(x, { family: 'flagger-synthetic', synthetic: SYNTHETIC_PER_MINUTE }),
    ),
    ...argoGrid().map((x) => argoPolicy(x, true)),
    ...kayentaGrid().map((x) => kayentaPolicy(x, true)),
  ];
}

/** The policies compared, side by side on the same streams. */
export function allPolicies(): Policy[] {
  return [...referencePolicies(), ...gridPolicies()];
}
