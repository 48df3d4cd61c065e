import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from './replayer.ts';
import { recordsFromLines, sampleOrder, startSink } from './testing.ts';

type Kind = 'valid' | 'duplicate' | 'malformed' | 'invalid';

function buildLines(kinds: Kind[]): { lines: string[]; validIds: string[]; quarantined: number } {
  const lines: string[] = [];
  const validIds: string[] = [];
  let quarantined = 0;
  kinds.forEach((kind, i) => {
    const createdAt = new Date(Date.UTC(2026, 2, 1, 8) + ((i * 7919) % 50) * 1000).toISOString();
    if (kind === 'malformed') {
      lines.push(`{"id": "p-${i}", "createdAt": `);
      quarantined++;
    } else if (kind === 'invalid') {
      lines.push(JSON.stringify({ ...sampleOrder({ id: `p-${i}`, createdAt }), serviceLevel: 'teleport' }));
      quarantined++;
    } else if (kind === 'duplicate' && validIds.length > 0) {
      lines.push(JSON.stringify(sampleOrder({ id: validIds[i % validIds.length]!, createdAt })));
      quarantined++;
    } else {
      lines.push(JSON.stringify(sampleOrder({ id: `p-${i}`, createdAt })));
      validIds.push(`p-${i}`);
    }
  });
  return { lines, validIds, quarantined };
}

describe('replay accounting across kills and resumes', () => {
  it('property: sent + failed + quarantined = lines read, and no order id is ever sent twice as new', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Kind>('valid', 'valid', 'valid', 'duplicate', 'malformed', 'invalid'), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 2 }),
        async (kinds, multiply, concurrency, kills) => {
          const { lines, validIds, quarantined } = buildLines(kinds);
          const dir = mkdtempSync(join(tmpdir(), 'sg-resume-'));
          let controller = new AbortController();
          let killAt = Number.POSITIVE_INFINITY;
          let arrivals = 0;
          const sink = await startSink({
            onArrival: () => {
              // Kill the replayer while this request is in flight: the platform still
              // processes it, the replayer never learns the outcome.
              if (++arrivals === killAt) controller.abort(new Error('killed'));
            },
          });
          try {
            const resultsFile = join(dir, 'results.jsonl');
            const run = (resume: boolean) =>
              replay({
                records: recordsFromLines(lines),
                target: sink.url,
                resultsFile,
                resume,
                multiply,
                concurrency,
                speed: Number.POSITIVE_INFINITY,
                signal: controller.signal,
                settleTimeoutMs: 2_000,
                pollIntervalMs: 20,
              });
            let resume = false;
            for (const kill of kills) {
              arrivals = 0;
              killAt = kill;
              controller = new AbortController();
              await run(resume);
              resume = true;
            }
            killAt = Number.POSITIVE_INFINITY;
            controller = new AbortController();
            const final = await run(resume);

            expect(final.aborted).toBe(false);
            expect(final.lines.read).toBe(lines.length);
            expect(final.lines.sent + final.lines.failed + final.lines.quarantined).toBe(final.lines.read);
            expect(final.lines.quarantined).toBe(quarantined);
            expect(final.lines.sent).toBe(validIds.length);
            expect(final.orders.lost).toBe(0);
            expect(final.ledger.pending).toBe(0);
            const expectedIds = validIds.flatMap((id) => (multiply === 2 ? [id, `${id}:x1`] : [id]));
            expect([...sink.requests.keys()].sort()).toEqual([...expectedIds].sort());
            for (const [id, count] of sink.requests) {
              // A first attempt at most once per id: anything else was a same-key resend.
              expect(count.first, id).toBeLessThanOrEqual(1);
            }
            // Each order created exactly once at the platform.
            expect(sink.arrivals.map((a) => a.id).sort()).toEqual([...expectedIds].sort());
          } finally {
            await sink.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 30) },
    );
  });
});
