import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../canary/controller/clock.ts';
import { runRollout } from '../../canary/controller/rollout.ts';
import { memoryActuator, simulatedSource, TEST_METRICS } from '../../canary/controller/testing.ts';
import { CANARY_EVENT_TYPES } from '../../canary/journal/events.ts';
import { openCanaryJournal } from '../../canary/journal/journal.ts';
import { isShipgateError } from '../../core/errors.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { cleanups, fuzzRuns, fuzzTimeout } from './helpers.ts';

/**
 * Hostile input: a canary journal (what `canary run --resume` starts from) damaged by
 * hand or by another tool — random JSON values and canary events with missing or
 * mistyped fields spliced into a real interrupted rollout's journal. Resuming must end
 * with exactly one terminal change at the actuator, or refuse with a catalogued error
 * naming the journal; never a TypeError, never a second promote/rollback.
 */
const c = cleanups();
afterAll(() => c.run());

const junk = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom('null', '0', '[]', '"canary.finished"'),
  fc
    .record(
      { type: fc.constantFrom(...CANARY_EVENT_TYPES), t: fc.oneof(fc.integer(), fc.string()) },
      { requiredKeys: ['type'] },
    )
    .chain((base) =>
      fc
        .dictionary(
          fc.constantFrom(
            'op',
            'weight',
            'action',
            'result',
            'snapshot',
            'outcome',
            'config',
            'stepIndex',
            'state',
          ),
          fc.jsonValue(),
        )
        .map((extra) => JSON.stringify({ ...base, ...extra })),
    ),
);

describe('fuzz: damaged canary journal on resume', () => {
  it(
    'resume ends with exactly one terminal change, or a catalogued refusal',
    async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 2, max: 25 }),
          fc.boolean(),
          async (damage, stopAfter, bad) => {
            const dir = c.tempDir(`sg-rel-journal-${++round}-`);
            const actuator = memoryActuator();
            const clock = manualClock(0);
            const source = simulatedSource({
              weight: () => actuator.weight,
              badRate: { canary: bad ? 0.06 : 0.01, baseline: 0.01 },
              perSnapshot: 400,
              seed: round,
            });
            const config = {
              steps: [10, 50, 100],
              minStepMs: 60_000,
              minStepSamples: 5,
              intervalMs: 30_000,
              maxTotalMs: 3_600_000,
            };
            const controller = new AbortController();
            let events = 0;
            await runRollout({
              source,
              metrics: TEST_METRICS,
              actuator,
              journal: openCanaryJournal(openRunFolder(dir).journal),
              clock,
              config,
              signal: controller.signal,
              onEvent: () => {
                if (++events === stopAfter) controller.abort(new Error('killed'));
              },
            }).catch(() => undefined);
            const file = join(dir, 'journal.jsonl');
            const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
            for (const [at, text] of damage)
              lines.splice(at % (lines.length + 1), 0, text.replaceAll('\n', ' '));
            writeFileSync(file, `${lines.join('\n')}\n`);
            const terminalBefore = actuator.changes.filter(
              (ch) => ch === 'promote' || ch === 'rollback',
            ).length;
            try {
              const outcome = await runRollout({
                source,
                metrics: TEST_METRICS,
                actuator,
                journal: openCanaryJournal(openRunFolder(dir).journal),
                clock,
                config,
              });
              expect(['promoted', 'rolled_back', 'held']).toContain(outcome.outcome);
              const terminal = actuator.changes.filter((ch) => ch === 'promote' || ch === 'rollback');
              expect(terminal.length, actuator.changes.join(', ')).toBeLessThanOrEqual(1);
            } catch (error) {
              expect(isShipgateError(error), String((error as Error).stack)).toBe(true);
              expect((error as Error).message).toContain('journal.jsonl');
              expect(actuator.changes.filter((ch) => ch === 'promote' || ch === 'rollback').length).toBe(
                terminalBefore,
              );
            }
          },
        ),
        { numRuns: fuzzRuns(100) },
      );
    },
    fuzzTimeout(100, 100),
  );
});
