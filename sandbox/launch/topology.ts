import { randomBytes } from 'node:crypto';
import { CARRIERS, type CarrierName } from '../../contracts/domain/shipping.ts';
import type { ClockAnchor } from '../clock/clock.ts';
import type { DefectName } from '../platform/defects.ts';

/**
 * The sandbox world as data: which services exist, what each needs to know, and the
 * order they start in. The same description is started in-process (tests, demo) or as
 * one process per service (`shipgate sandbox up`).
 */
export type ServiceSpec =
  | { kind: 'inventory'; name: 'inventory' }
  | { kind: 'carrier'; name: CarrierName }
  | { kind: 'platform'; name: 'stable' | 'canary'; defect: DefectName }
  | { kind: 'router'; name: 'router' };

export interface WorldConfig {
  anchor: ClockAnchor;
  seed: number;
  canaryDefect: DefectName;
  adminToken: string;
  /** Each carrier's API key, as the platform's clients present it. */
  carrierKeys: Record<CarrierName, string>;
  /** `none` removes the services' simulated API latency (fast tests). */
  latency: 'realistic' | 'none';
  /** Canary weight the router starts with, percent. */
  initialWeight: number;
}

/** Where each started service listens; later stages are given the earlier ones' URLs. */
export interface WorldUrls {
  inventory: string;
  carriers: Record<CarrierName, string>;
  stable: string;
  canary: string;
  router: string;
}

/** The URLs known while the world is starting. */
export type PartialWorldUrls = Partial<Omit<WorldUrls, 'carriers'>> & {
  carriers: Partial<Record<CarrierName, string>>;
};

/** Start order: dependencies first, each stage in parallel. */
export function stages(config: WorldConfig): ServiceSpec[][] {
  return [
    [
      { kind: 'inventory', name: 'inventory' },
      ...CARRIERS.map((name) => ({ kind: 'carrier' as const, name })),
    ],
    [
      { kind: 'platform', name: 'stable', defect: 'none' },
      { kind: 'platform', name: 'canary', defect: config.canaryDefect },
    ],
    [{ kind: 'router', name: 'router' }],
  ];
}

export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

export function defaultWorldConfig(partial: Partial<WorldConfig> & Pick<WorldConfig, 'anchor'>): WorldConfig {
  return {
    seed: 1,
    canaryDefect: 'none',
    adminToken: process.env.SHIPGATE_ADMIN_TOKEN || newSecret(),
    carrierKeys: Object.fromEntries(CARRIERS.map((c) => [c, newSecret()])) as Record<CarrierName, string>,
    latency: 'realistic',
    initialWeight: 0,
    ...partial,
  };
}
