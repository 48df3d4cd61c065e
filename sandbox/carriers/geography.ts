import { REGIONS, type Region, regionOfPostcode } from '../../contracts/domain/order.ts';

/**
 * The sandbox map: regions on a compass around the centre. The zone between two
 * regions (0, 1 or 2) is their Chebyshev distance on that grid.
 */
const GRID: Record<Region, [number, number]> = {
  C: [0, 0],
  N: [0, 1],
  NE: [1, 1],
  E: [1, 0],
  SE: [1, -1],
  S: [0, -1],
  SW: [-1, -1],
  W: [-1, 0],
  NW: [-1, 1],
};

/** A hub city per region, shown in tracking events (no customer data, only the region). */
const HUBS: Record<Region, string> = {
  C: 'Centreville',
  N: 'Northgate',
  NE: 'Eastholm',
  E: 'Easton',
  SE: 'Southport',
  S: 'Southam',
  SW: 'Westbay',
  W: 'Westford',
  NW: 'Norwick',
};

export function zoneBetween(from: Region, to: Region): number {
  const [fx, fy] = GRID[from];
  const [tx, ty] = GRID[to];
  return Math.max(Math.abs(fx - tx), Math.abs(fy - ty));
}

export function regionOf(postcode: string): Region {
  const region = regionOfPostcode(postcode);
  if (!region) throw new RangeError(`postcode ${postcode} names no region (first digit 1-${REGIONS.length})`);
  return region;
}

export function hubCity(region: Region): string {
  return HUBS[region];
}

/** The hub between two regions a parcel passes through (the centre, unless neighbours). */
export function transitHub(from: Region, to: Region): Region {
  return zoneBetween(from, to) <= 1 ? from : 'C';
}
