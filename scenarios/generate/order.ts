import {
  type Order,
  type OrderItem,
  REGIONS,
  type Region,
  type ServiceLevel,
} from '../../contracts/domain/order.ts';
import type { Rng } from '../../core/prng.ts';
import { CATALOGUE } from './catalogue.ts';
import { makePerson } from './people.ts';
import { promiseFor } from './promise.ts';

/** Share of orders by destination region: the capital region leads, the far north trails. */
export const REGION_WEIGHTS: Record<Region, number> = {
  C: 22,
  N: 7,
  NE: 6,
  E: 9,
  SE: 12,
  S: 13,
  SW: 8,
  W: 11,
  NW: 12,
};
export const SERVICE_LEVEL_WEIGHTS: Record<ServiceLevel, number> = { standard: 68, express: 22, economy: 10 };
export const VIP_SHARE = 0.03;

const regions = REGIONS.map((region) => [region, REGION_WEIGHTS[region]] as const);
const levels = (Object.entries(SERVICE_LEVEL_WEIGHTS) as [ServiceLevel, number][]).map(
  ([l, w]) => [l, w] as const,
);
// Cheap accessories sell far more often than their catalogue popularity alone says
// (cables with every phone): damping by √price gives values a realistic right tail.
const products = CATALOGUE.map((item) => [item, item.popularity / Math.sqrt(item.price)] as const);
const lineCounts = [
  [1, 72],
  [2, 18],
  [3, 6],
  [4, 3],
  [5, 1],
] as const;

const NOTES: readonly ((p: { phone: string; email: string; line1: string }) => string)[] = [
  () => 'Leave at the door',
  () => 'Ring twice, the bell is broken',
  (p) => `Please call ${p.phone} before delivery`,
  (p) => `If delayed, write to ${p.email}`,
  (p) => `Neighbour at ${p.line1} can accept the parcel`,
  () => 'Позвоните за час до доставки',
  () => 'Gift: no invoice in the box please',
  () => 'Entregar por la tarde',
];

export function makeOrder(rng: Rng, id: string, createdAt: Date): Order {
  const region = rng.weighted(regions);
  const serviceLevel = rng.weighted(levels);
  const person = makePerson(rng, region);
  const postcode = `${REGIONS.indexOf(region) + 1}${String(rng.int(0, 99999)).padStart(5, '0')}`;
  const items: OrderItem[] = [];
  let value = 0;
  const lines = rng.weighted(lineCounts);
  for (let i = 0; i < lines; i++) {
    const product = rng.weighted(products);
    if (items.some((item) => item.sku === product.sku)) continue;
    const qty =
      product.price < 50
        ? rng.weighted([
            [1, 70],
            [2, 20],
            [3, 7],
            [5, 3],
          ] as const)
        : rng.chance(0.95)
          ? 1
          : 2;
    items.push({ sku: product.sku, qty, weightKg: product.weightKg });
    // Discounts and bundles: ±15% around list price.
    value += qty * product.price * Math.exp(0.15 * rng.normal());
  }
  const order: Order = {
    id,
    createdAt: createdAt.toISOString(),
    customer: {
      name: person.name,
      phone: person.phone,
      email: person.email,
      address: {
        line1: person.line1,
        ...(person.line2 === undefined ? {} : { line2: person.line2 }),
        city: person.city,
        postcode,
        country: 'XS',
      },
      ...(rng.chance(VIP_SHARE) ? { vip: true } : {}),
    },
    items,
    destination: { region, postcode },
    serviceLevel,
    promisedBy: promiseFor(createdAt, serviceLevel, region).toISOString(),
    value: Math.round(value * 100) / 100,
    currency: 'EUR',
  };
  if (rng.chance(0.12)) order.notes = rng.pick(NOTES)(person);
  return order;
}
