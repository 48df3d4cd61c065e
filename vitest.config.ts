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
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // More workers than the two cores: most integration files wait on virtual time (a gate
    // run on the sandbox uses a fifth of a core for its minute), so six overlap their waits
    // while the unit files use the CPU (docs/benchmarks.md, "Test suite").
    maxWorkers: 6,
    // Known-long files first, so the run does not end waiting on one of them.
    sequence: { sequencer: LongestFirst },
    // One module graph per worker instead of a fresh process and a fresh import of every
    // dependency per test file: importing (fastify, Pact's native core, TypeBox, undici…)
    // was two thirds of the unit lane's CPU time and a sixth of the integration lane's
    // (issue 15). A file must leave the worker as it found it:
    // test/support/file-isolation.ts fails one that leaves env, cwd, timers, stdio mocks,
    // signal handlers, servers or child processes behind.
    isolate: false,
    setupFiles: ['test/support/file-isolation.ts'],
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: '.shipgate/test-results/junit.xml' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', '.shipgate/**', ...INTEGRATION],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [...INTEGRATION],
          globalSetup: ['test/support/system-tools.ts'],
        },
      },
    ],
  },
});
