import { seededRandom } from '../../core/prng.ts';

/**
 * The sandbox store's SKU catalogue: ~200 electronics SKUs with realistic unit weights,
 * deterministic from a seed. The inventory service stocks exactly these and the traffic
 * generator orders them, so both sides agree on SKUs and weights. No customer data.
 */
export interface CatalogueItem {
  sku: string;
  name: string;
  category: string;
  /** Weight of one unit, boxed, in kg. */
  weightKg: number;
  /** Unit price in the store currency. */
  price: number;
  /** Relative order frequency (a Zipf-like popularity, higher = ordered more often). */
  popularity: number;
}

interface Category {
  prefix: string;
  category: string;
  names: string[];
  weightKg: [number, number];
  price: [number, number];
  /** Share of the catalogue's SKUs in this category. */
  share: number;
}

const CATEGORIES: Category[] = [
  {
    prefix: 'PHN',
    category: 'phones',
    names: ['Pulse', 'Nova', 'Orbit'],
    weightKg: [0.16, 0.26],
    price: [149, 1299],
    share: 12,
  },
  {
    prefix: 'TAB',
    category: 'tablets',
    names: ['Slate', 'Pad'],
    weightKg: [0.32, 0.72],
    price: [199, 1099],
    share: 6,
  },
  {
    prefix: 'LAP',
    category: 'laptops',
    names: ['Book', 'Air', 'Pro'],
    weightKg: [1.15, 2.9],
    price: [499, 2899],
    share: 9,
  },
  {
    prefix: 'MON',
    category: 'monitors',
    names: ['View', 'Panel'],
    weightKg: [3.6, 8.5],
    price: [129, 1199],
    share: 5,
  },
  {
    prefix: 'TV',
    category: 'televisions',
    names: ['Vision', 'Cinema'],
    weightKg: [7.5, 24],
    price: [299, 2499],
    share: 4,
  },
  {
    prefix: 'HDP',
    category: 'headphones',
    names: ['Studio', 'Quiet'],
    weightKg: [0.19, 0.42],
    price: [39, 449],
    share: 8,
  },
  {
    prefix: 'EAR',
    category: 'earbuds',
    names: ['Buds', 'Pods'],
    weightKg: [0.045, 0.085],
    price: [19, 279],
    share: 8,
  },
  {
    prefix: 'CBL',
    category: 'cables',
    names: ['Link', 'Cord'],
    weightKg: [0.03, 0.13],
    price: [5, 39],
    share: 10,
  },
  {
    prefix: 'CHG',
    category: 'chargers',
    names: ['Volt', 'Charge'],
    weightKg: [0.08, 0.32],
    price: [12, 89],
    share: 7,
  },
  {
    prefix: 'SPK',
    category: 'speakers',
    names: ['Boom', 'Echo'],
    weightKg: [0.35, 3.2],
    price: [29, 599],
    share: 5,
  },
  {
    prefix: 'WCH',
    category: 'watches',
    names: ['Band', 'Time'],
    weightKg: [0.05, 0.13],
    price: [49, 799],
    share: 4,
  },
  {
    prefix: 'CAM',
    category: 'cameras',
    names: ['Shot', 'Lens'],
    weightKg: [0.42, 1.3],
    price: [199, 2999],
    share: 3,
  },
  {
    prefix: 'CON',
    category: 'consoles',
    names: ['Play', 'Arcade'],
    weightKg: [2.6, 4.6],
    price: [299, 699],
    share: 2,
  },
  {
    prefix: 'KBD',
    category: 'keyboards',
    names: ['Keys', 'Type'],
    weightKg: [0.45, 1.25],
    price: [19, 229],
    share: 5,
  },
  {
    prefix: 'MSE',
    category: 'mice',
    names: ['Glide', 'Click'],
    weightKg: [0.06, 0.16],
    price: [9, 149],
    share: 5,
  },
  {
    prefix: 'RTR',
    category: 'routers',
    names: ['Mesh', 'Wave'],
    weightKg: [0.3, 0.95],
    price: [39, 499],
    share: 3,
  },
  {
    prefix: 'SSD',
    category: 'storage',
    names: ['Drive', 'Vault'],
    weightKg: [0.03, 0.22],
    price: [29, 399],
    share: 3,
  },
  {
    prefix: 'PRN',
    category: 'printers',
    names: ['Jet', 'Laser'],
    weightKg: [4.2, 12.5],
    price: [79, 899],
    share: 1,
  },
];

export const DEFAULT_CATALOGUE_SEED = 20_240_611;
export const DEFAULT_CATALOGUE_SIZE = 200;

export function skuCatalogue(seed = DEFAULT_CATALOGUE_SEED, size = DEFAULT_CATALOGUE_SIZE): CatalogueItem[] {
  const random = seededRandom(`catalogue:${seed}`);
  const totalShare = CATEGORIES.reduce((sum, c) => sum + c.share, 0);
  const items: CatalogueItem[] = [];
  for (const category of CATEGORIES) {
    const count = Math.max(1, Math.round((category.share / totalShare) * size));
    for (let i = 1; i <= count; i++) {
      const [wMin, wMax] = category.weightKg;
      const [pMin, pMax] = category.price;
      // Price and weight move together within a category (a bigger TV is dearer).
      const tier = random();
      const model = category.names[Math.floor(random() * category.names.length)]!;
      items.push({
        sku: `${category.prefix}-${String(i).padStart(4, '0')}`,
        name: `${model} ${category.category === 'televisions' ? `${Math.round(32 + tier * 43)}"` : String.fromCharCode(65 + Math.floor(random() * 26)) + Math.ceil(tier * 9)}`,
        category: category.category,
        weightKg: Math.round((wMin + tier * (wMax - wMin) * (0.85 + random() * 0.3)) * 1000) / 1000,
        price: Math.max(1, Math.round(pMin + tier * (pMax - pMin))) - 0.01,
        popularity: 0,
      });
    }
  }
  // Popularity: a shuffled Zipf(1) ranking, so a few SKUs dominate as in real stores.
  const order = items.map((_, i) => ({ i, key: random() }));
  order.sort((a, b) => a.key - b.key);
  order.forEach(({ i }, rank) => {
    items[i]!.popularity = Math.round((1000 / (rank + 1)) * 1000) / 1000;
  });
  return items.slice(0, size);
}

/** The catalogue of the default seed, shared by the inventory service and the traffic generator. */
export const SKU_CATALOGUE: readonly CatalogueItem[] = skuCatalogue();

export function catalogueBySku(items: readonly CatalogueItem[] = SKU_CATALOGUE): Map<string, CatalogueItem> {
  return new Map(items.map((item) => [item.sku, item]));
}
