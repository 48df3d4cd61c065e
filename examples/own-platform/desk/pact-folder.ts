import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the desk's consumer tests publish their pacts: examples/own-platform/pacts/.
 * Pact writes into a fresh staging folder and each file is moved into place whole
 * (a rename on one filesystem), so a provider verification reading the folder at the
 * same time sees the old pact or the new one, never half of one; a failing consumer
 * test publishes nothing.
 */
export const PACT_DIR = join(import.meta.dirname, '..', 'pacts');

export async function publishPacts(write: (stagingDir: string) => Promise<void>): Promise<string[]> {
  const staging = mkdtempSync(join(PACT_DIR, '.staging-'));
  try {
    await write(staging);
    const files = readdirSync(staging).filter((name) => name.endsWith('.json'));
    for (const name of files) renameSync(join(staging, name), join(PACT_DIR, name));
    return files.map((name) => join(PACT_DIR, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
