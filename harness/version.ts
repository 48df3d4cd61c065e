import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** shipgate's own version, recorded in every report. */
export function version(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
