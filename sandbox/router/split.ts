import { uniformFrom } from '../../core/prng.ts';

/**
 * Which build serves an order: a stable hash of the order id against the canary
 * weight. Hashing (rather than a coin flip per request) keeps an order on one build
 * across retries and lookups, so intake stays idempotent while weights change.
 */
export function routeFor(orderId: string, canaryWeightPercent: number): 'stable' | 'canary' {
  return uniformFrom(orderId, 'route') * 100 < canaryWeightPercent ? 'canary' : 'stable';
}
