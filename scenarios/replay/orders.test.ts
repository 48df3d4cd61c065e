import { describe, expect, it } from 'vitest';
import { Order } from '../../contracts/domain/order.ts';
import { validator } from '../../core/schema/validate.ts';
import { cloneId, shiftOrder } from './orders.ts';
import { sampleOrder } from './testing.ts';

describe('cloneId', () => {
  it('is deterministic, distinct per k, and keeps the recorded id for k = 0', () => {
    expect(cloneId('o-1', 0)).toBe('o-1');
    expect(cloneId('o-1', 2)).toBe('o-1:x2');
    expect(cloneId('o-1', 2)).toBe(cloneId('o-1', 2));
  });

  it('stays a valid order id however long the recorded id is', () => {
    const check = validator(Order);
    const a = `${'a'.repeat(60)}1234`;
    const b = `${'a'.repeat(60)}5678`;
    expect(cloneId(a, 3)).not.toBe(cloneId(b, 3));
    for (const id of [cloneId(a, 3), cloneId(b, 12)]) {
      expect(check(sampleOrder({ id })).ok, id).toBe(true);
    }
  });
});

describe('shiftOrder', () => {
  it('moves createdAt and promisedBy by the same offset', () => {
    const order = sampleOrder({
      id: 'o-1',
      createdAt: '2024-11-29T10:00:00.000Z',
      promisedBy: '2024-12-01T18:00:00.000Z',
    });
    const shifted = shiftOrder(order, 'o-1:x1', 86_400_000);
    expect(shifted.id).toBe('o-1:x1');
    expect(shifted.createdAt).toBe('2024-11-30T10:00:00.000Z');
    expect(shifted.promisedBy).toBe('2024-12-02T18:00:00.000Z');
    expect(order.createdAt).toBe('2024-11-29T10:00:00.000Z');
  });
});
