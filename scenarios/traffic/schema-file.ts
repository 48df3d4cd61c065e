import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Order } from '../../contracts/domain/order.ts';

/**
 * The traffic record schema (one order per JSON Lines line, CSV row or HAR request
 * body), published as JSON Schema for users' own exporters. Generated from the TypeBox
 * `Order` every reader validates against; its test fails when it drifts.
 */
export const ORDER_SCHEMA_FILE = fileURLToPath(new URL('./order.schema.json', import.meta.url));

export function renderOrderSchema(): string {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'shipgate traffic record (one order)',
    ...JSON.parse(JSON.stringify(Order)),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

// `npx tsx scenarios/traffic/schema-file.ts` regenerates the file after a change to Order.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(ORDER_SCHEMA_FILE, renderOrderSchema());
  console.log(`wrote ${ORDER_SCHEMA_FILE}`);
}
