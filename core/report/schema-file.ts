import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from './model.ts';

/** The committed JSON Schema file; its test fails when it drifts from model.ts. */
export const SCHEMA_FILE = fileURLToPath(new URL('./report.schema.json', import.meta.url));

export function renderSchemaFile(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}

// `npx tsx core/report/schema-file.ts` regenerates the file after a model change.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, renderSchemaFile());
  console.log(`wrote ${SCHEMA_FILE}`);
}
