import { defineConfig } from 'vitest/config';
import { INTEGRATION } from './test/lanes.ts';
import LongestFirst from './test/sequencer.ts';

/**
 * Two lanes (README, "Development"):
 * - unit: everything not listed in test/lanes.ts; no system package, no sandbox, no child
 *   process; `npm run test:unit`, for the edit-test loop;
 * - integration: the files listed in test/lanes.ts (real Prometheus, promtool, Chromium,
 *   the sandbox world, the CLI as a process); its globalSetup stops the run before any test
 *   if a system tool is missing, naming the command that installs it.
 * `npm test` runs both.
 */
export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.shipgate/**'],
    // Integration tests start real servers and processes; two cores are shared with them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 6,
    sequence: { sequencer: LongestFirst },
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: '.shipgate/test-results/junit.xml' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // One module graph per worker instead of one process and a fresh import of every
          // dependency per test file: importing (fastify, Pact's native core, TypeBox, undici…)
          // was two thirds of the lane's CPU time (issue 15). Unit test files restore what they
          // change; test/support/file-isolation.ts fails a file that leaves env, cwd, timers or
          // stdio changed.
          exclude: ['node_modules/**', '.shipgate/**', ...INTEGRATION],
          isolate: false,
          setupFiles: ['test/support/file-isolation.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [...INTEGRATION],
          globalSetup: ['test/support/system-tools.ts'],
          isolate: false,
          setupFiles: ['test/support/unit-isolation.ts'],
        },
      },
    ],
  },
});
