import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ORDER_SCHEMA_FILE, renderOrderSchema } from './schema-file.ts';
import { sampleOrder } from './test-orders.ts';

describe('the published traffic record schema', () => {
  it('the committed order.schema.json matches contracts/domain/order.ts (regenerate: npx tsx scenarios/traffic/schema-file.ts)', () => {
    expect(readFileSync(ORDER_SCHEMA_FILE, 'utf8')).toBe(renderOrderSchema());
  });

  it('accepts an order the readers accept and refuses a region outside the list, with any JSON Schema validator', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(ORDER_SCHEMA_FILE, 'utf8')));
    const order = JSON.parse(JSON.stringify(sampleOrder('o-1')));
    expect(validate(order), JSON.stringify(validate.errors)).toBe(true);
    order.destination.region = 'XX';
    expect(validate(order)).toBe(false);
  });
});
