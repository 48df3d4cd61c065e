import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The integration lane's globalSetup: before any test, the system tools it runs for real
 * must be there (scripts/test-prereqs.sh --check, the same check `npm test` runs first).
 * If one is missing the run stops here with the command that installs it, so no test
 * fails or skips for a missing tool.
 */
const PREREQS = fileURLToPath(new URL('../../scripts/test-prereqs.sh', import.meta.url));

export default function setup(): void {
  try {
    execFileSync(PREREQS, ['--check'], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(stderr || `${PREREQS} --check failed`);
  }
}
