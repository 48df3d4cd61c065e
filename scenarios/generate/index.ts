/** Realistic generated traffic: days, peaks and Black Friday, deterministic from a seed. */

export { Rng } from '../../core/prng.ts';
export { CATALOGUE, type CatalogueItem } from './catalogue.ts';
export {
  HOURLY_SHARE,
  HOURLY_SHARE_PERCENT,
  hourlyCounts,
  PROFILE_NAMES,
  PROFILES,
  type Profile,
  type ProfileName,
} from './curve.ts';
export {
  type DayPlan,
  DEFAULT_BASE_ORDERS,
  DEFAULT_DATE,
  type GenerateOptions,
  generateDay,
  planDay,
} from './day.ts';
export { REGION_WEIGHTS, SERVICE_LEVEL_WEIGHTS, VIP_SHARE } from './order.ts';
export { CUTOFF_MINUTE, promiseFor } from './promise.ts';
