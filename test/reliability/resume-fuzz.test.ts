import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { replay } from '../../scenarios/replay/replayer.ts';
import { recordsFromOrders, type Sink, sampleOrders, startSink } from '../../scenarios/replay/testing.ts';
import { cleanups, fuzzRuns, fuzzTimeout } from './helpers.ts';

/**
 * Hostile input: a results file (what `--resume` starts from) damaged by hand, by a
 * disk or by another tool: random JSON values, wrong shapes, torn lines, spliced into a
 * real interrupted run's file. Resuming must never crash on it, never create an order
 * twice at the platform, and end balanced — or refuse with a catalogued error.
 */
const c = cleanups();
afterAll(() => c.run());

const junkLine = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    'null',
    '0',
    '"intent"',
    '[]',
    '{"t":"outcome"}',
    '{"t":"intent","id":null}',
    '{"t":"outcome","id":"x","status":"accepted"}',
    '{"t":"quarantined","line":"a"}',
    '{"t":"intent","id":{"a":1},"attempt":"NaN"}',
  ),
  fc.string(),
);

describe('fuzz: damaged results file on resume', () => {
  it(
    'resume never crashes, never creates an order twice, ends balanced (or a catalogued refusal)',
    async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), junkLine), { maxLength: 6 }),
          fc.integer({ min: 1, max: 10 }),
          async (junk, killAt) => {
            const prefix = `rf${++round}`;
            // A sink per case: the sink's duplicate check scans its arrivals, so a shared one
            // would make a 10 000-case run quadratic.
            const sink: Sink = await startSink();
            try {
              const orders = sampleOrders(12, { prefix });
              const dir = c.tempDir('sg-rel-resume-');
              const resultsFile = join(dir, 'results.jsonl');
              const controller = new AbortController();
              let arrivals = 0;
              const base = {
                target: sink.url,
                resultsFile,
                speed: Number.POSITIVE_INFINITY,
                concurrency: 2,
                settleTimeoutMs: 2_000,
                pollIntervalMs: 20,
              };
              const stopAt = () => {
                if (++arrivals === killAt) controller.abort(new Error('killed'));
              };
              const listener = setInterval(() => {
                const n = [...sink.requests.keys()].filter((id) => id.startsWith(`${prefix}-`)).length;
                if (n >= killAt) stopAt();
              }, 1);
              // A "kill" may land anywhere, even before the first send (then replay rejects).
              await replay({ ...base, records: recordsFromOrders(orders), signal: controller.signal }).catch(
                () => undefined,
              );
              clearInterval(listener);
              // Damage the file: splice junk lines in at random places.
              const lines = readFileSync(resultsFile, 'utf8').split('\n');
              for (const [at, text] of junk)
                lines.splice(at % (lines.length + 1), 0, text.replaceAll('\n', ' '));
              writeFileSync(resultsFile, lines.join('\n'));
              if (junk.length % 2) appendFileSync(resultsFile, '{"t":"intent","id":"tor');
              try {
                const final = await replay({ ...base, records: recordsFromOrders(orders), resume: true });
                expect(final.balanced).toBe(true);
                expect(final.lines.sent + final.lines.failed).toBe(12);
                expect(final.orders.lost).toBe(0);
              } catch (error) {
                expect(isShipgateError(error), String(error)).toBe(true);
              }
              const created = sink.arrivals.filter((a) => a.id.startsWith(`${prefix}-`)).map((a) => a.id);
              expect(new Set(created).size).toBe(created.length);
            } finally {
              await sink.close();
            }
          },
        ),
        { numRuns: fuzzRuns(40) },
      );
    },
    fuzzTimeout(40, 400),
  );
});
