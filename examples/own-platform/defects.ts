/**
 * Defects a build can be started with, as data. The next build carries the desk's
 * quirks; the depot carries the contract break (both builds meet the same depot).
 */
export interface Quirks {
  /** Extra processing time for one delivery zone. */
  slowZone?: { zone: string; extraMs: number };
  /** The area whose parcels go with the other carrier. */
  swappedArea?: string;
  /** Share of fulfilment requests refused with 503 before any work. */
  shedShare?: number;
}

export const DEFECTS = {
  'slow-highlands': {
    carrier: 'next',
    effect: 'next build: +400 ms processing for highland postcodes (H…)',
    quirks: { slowZone: { zone: 'highlands', extraMs: 400 } },
  },
  'coast-carrier-swap': {
    carrier: 'next',
    effect: 'next build: area CQ goes with homefleet instead of gullwing (half of them late)',
    quirks: { swappedArea: 'CQ' },
  },
  brownout: {
    carrier: 'next',
    effect: 'next build: 5% of fulfilment requests answered 503',
    quirks: { shedShare: 0.05 },
  },
  'depot-field-rename': {
    carrier: 'depot',
    effect: 'depot: POST /holds answers holdRef instead of holdId (a contract break)',
    quirks: {},
  },
} as const satisfies Record<string, { carrier: 'next' | 'depot'; effect: string; quirks: Quirks }>;

export type DefectName = keyof typeof DEFECTS;

export function isDefectName(name: string): name is DefectName {
  return Object.hasOwn(DEFECTS, name);
}

/** The quirks of the next build for a set of defects. */
export function quirksOf(defects: readonly DefectName[]): Quirks {
  return Object.assign({}, ...defects.map((d) => DEFECTS[d].quirks));
}
