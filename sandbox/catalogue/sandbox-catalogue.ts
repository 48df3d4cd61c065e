import { REGIONS, type Region } from '../../contracts/domain/order.ts';
import { CARRIERS } from '../../contracts/domain/shipping.ts';
import { SKU_CATALOGUE } from '../../contracts/inventory/catalogue.ts';
import { CARRIER_CATALOGUE } from '../carriers/catalogue.ts';
import { hubCity } from '../carriers/geography.ts';

/**
 * What the sandbox sells and where it delivers, as data (`shipgate sandbox catalogue`):
 * the SKUs the inventory stocks (an order for any other SKU ends `error`), the
 * service area (an order to a postcode outside it, or a parcel heavier than every
 * carrier takes, ends `no_carrier`), and each carrier's regions, limits and services.
 */
export interface SandboxCatalogue {
  skus: { sku: string; name: string; category: string; weightKg: number; price: number }[];
  serviceArea: {
    postcode: string;
    regions: { region: Region; postcodes: string; hub: string }[];
    outside: string;
  };
  carriers: {
    name: string;
    regions: Region[];
    strongIn: Region[];
    weakIn: Region[];
    maxWeightKg: number;
    services: { code: string; level: string }[];
  }[];
}

export function sandboxCatalogue(): SandboxCatalogue {
  return {
    skus: SKU_CATALOGUE.map(({ sku, name, category, weightKg, price }) => ({
      sku,
      name,
      category,
      weightKg,
      price,
    })),
    serviceArea: {
      postcode: 'six digits; the first names the region',
      // regionOfPostcode: first digit d names REGIONS[d - 1].
      regions: REGIONS.map((region, i) => ({ region, postcodes: `${i + 1}xxxxx`, hub: hubCity(region) })),
      outside: '0xxxxx: no region, so no carrier quotes and the order ends no_carrier',
    },
    carriers: CARRIERS.map((name) => {
      const spec = CARRIER_CATALOGUE[name];
      return {
        name,
        // Every carrier quotes to every region (strong or weak there); none outside them.
        regions: [...REGIONS],
        strongIn: spec.strongIn,
        weakIn: spec.weakIn,
        maxWeightKg: spec.maxWeightKg,
        services: spec.services.map((s) => ({ code: s.code, level: s.level })),
      };
    }),
  };
}

/** The catalogue as text: the service area and carriers first (short), then one line per SKU. */
export function formatCatalogue(c: SandboxCatalogue): string {
  const heaviest = Math.max(...c.carriers.map((k) => k.maxWeightKg));
  const lines = [
    `service area: postcodes of ${c.serviceArea.postcode}`,
    ...c.serviceArea.regions.map((r) => `  ${r.postcodes}  region ${r.region.padEnd(2)}  hub ${r.hub}`),
    `  ${c.serviceArea.outside}`,
    '',
    'carriers:',
    ...c.carriers.map(
      (k) =>
        `  ${k.name.padEnd(10)} regions ${k.regions.join(' ')}; strong ${k.strongIn.join(' ')}; weak ${k.weakIn.join(' ')}; ` +
        `parcels up to ${k.maxWeightKg} kg; services ${k.services.map((s) => `${s.code} (${s.level})`).join(', ')}`,
    ),
    `  a parcel over ${heaviest} kg fits no carrier: the order ends no_carrier`,
    '',
    `SKUs (${c.skus.length}; an order for any other SKU ends error: the inventory answers UNKNOWN_SKU):`,
    ...c.skus.map(
      (s) =>
        `  ${s.sku.padEnd(9)} ${s.category.padEnd(11)} ${`${s.weightKg} kg`.padStart(9)}  ${s.price.toFixed(2).padStart(8)}  ${s.name}`,
    ),
  ];
  return lines.join('\n');
}
