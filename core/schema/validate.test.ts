import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { Order } from '../../contracts/domain/order.ts';
import { describeIssues, validator } from './validate.ts';

describe('validator', () => {
  it('names unknown fields even past typebox’s 8-error cap (found by the reliability suite)', () => {
    const check = validator(Type.Object({ a: Type.Number() }, { additionalProperties: false }));
    for (const n of [1, 7, 8, 30]) {
      const extra = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
      const result = check({ a: 1, ...extra });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.issues.length).toBeGreaterThan(0);
      expect(describeIssues(result.issues)).toMatch(/unknown field\S* k0/);
    }
  });

  it('names the field of a nested unknown property of an order', () => {
    const check = validator(Order);
    const customer = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x${i}`, i]));
    const result = check({ customer });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message.length).toBeGreaterThan(0);
  });
});
