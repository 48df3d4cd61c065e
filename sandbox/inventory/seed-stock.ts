import { WAREHOUSES, type Warehouse } from '../../contracts/domain/inventory.ts';
import type { CatalogueItem } from '../../contracts/inventory/catalogue.ts';
import { seededRandom } from '../../core/prng.ts';

/**
 * Opening stock per SKU and warehouse, deterministic from the seed: popular SKUs are
 * stocked deeper, the central warehouse holds more than the north-western one, and a
 * few SKUs are out of stock in one warehouse (so warehouse choice and shortages happen).
 */
export function openingStock(
  items: readonly CatalogueItem[],
  seed: number,
): { sku: string; warehouse: Warehouse; onHand: number }[] {
  const random = seededRandom(`stock:${seed}`);
  const rows: { sku: string; warehouse: Warehouse; onHand: number }[] = [];
  for (const item of items) {
    for (const warehouse of WAREHOUSES) {
      const depth = warehouse === 'WH-C' ? 1 : 0.6;
      const base = 40 + Math.sqrt(item.popularity) * 60;
      const onHand = random() < 0.04 ? 0 : Math.round(base * depth * (0.6 + random() * 0.8));
      rows.push({ sku: item.sku, warehouse, onHand });
    }
  }
  return rows;
}
