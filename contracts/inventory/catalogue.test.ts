import { describe, expect, it } from 'vitest';
import { validator } from '../../core/schema/validate.ts';
import { OrderItem } from '../domain/order.ts';
import { SKU_CATALOGUE, skuCatalogue } from './catalogue.ts';

describe('SKU catalogue', () => {
  it('has ~200 unique SKUs whose lines are valid order items', () => {
    expect(SKU_CATALOGUE).toHaveLength(200);
    expect(new Set(SKU_CATALOGUE.map((item) => item.sku)).size).toBe(200);
    const check = validator(OrderItem);
    for (const item of SKU_CATALOGUE) {
      expect(check({ sku: item.sku, qty: 1, weightKg: item.weightKg }).ok).toBe(true);
      expect(item.price).toBeGreaterThan(0);
      expect(item.popularity).toBeGreaterThan(0);
    }
  });

  it('is deterministic from its seed', () => {
    expect(skuCatalogue(5)).toEqual(skuCatalogue(5));
    expect(skuCatalogue(5)).not.toEqual(skuCatalogue(6));
  });
});
