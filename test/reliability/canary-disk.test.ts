import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actuator } from '../../canary/actuators/actuator.ts';
import { manualClock } from '../../canary/controller/clock.ts';
import { runRollout } from '../../canary/controller/rollout.ts';
import { memoryActuator, simulatedSource, TEST_METRICS } from '../../canary/controller/testing.ts';
import type { CanaryEvent } from '../../canary/journal/events.ts';
import { openCanaryJournal } from '../../canary/journal/journal.ts';
import { isShipgateError } from '../../core/errors.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { cleanups } from './helpers.ts';

/**
 * Fault matrix: the disk fills up in the middle of a canary rollout (a tmpfs filled by
 * the test after the k-th evaluation). The rollout must stop with
 * SG_RUN_DIR_UNWRITABLE (exit 3) without moving traffic whose intent is not journaled;
 * once space is freed, the same command resumes from the journal and ends with exactly
 * one terminal change at the actuator.
 */
const c = cleanups();
afterEach(() => c.run());

function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  try {
    // Big chunks, then smaller ones: leave not even a short journal line's worth free.
    for (const size of [65_536, 4096, 256, 16, 1]) {
      const chunk = Buffer.alloc(size, 120);
      try {
        for (let i = 0; i < 100_000; i++) writeSync(fd, chunk);
      } catch {
        // ENOSPC at this size: try a smaller one
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

function counting(inner: Actuator) {
  const calls: string[] = [];
  const wrap =
    <A extends unknown[]>(op: string, fn: (...a: A) => ReturnType<Actuator['state']>) =>
    (...a: A) => {
      calls.push(op);
      return fn(...a);
    };
  return {
    calls,
    actuator: {
      name: inner.name,
      setWeight: wrap('set-weight', (w: number) => inner.setWeight(w)),
      promote: wrap('promote', () => inner.promote()),
      rollback: wrap('rollback', () => inner.rollback()),
      state: wrap('state', () => inner.state()),
    } satisfies Actuator,
  };
}

describe('fault matrix: disk full mid-rollout', () => {
  it('stops with SG_RUN_DIR_UNWRITABLE, never actuates without a journaled intent, resumes to exactly one decision', async (ctx) => {
    const disk = c.tinyDisk(512);
    if (!disk) return ctx.skip('a tmpfs cannot be mounted here');
    const summary: string[] = [];
    // The disk fills right after the k-th journal event of any type: after an
    // observation, an evaluation, a decision, an intent (`actuating`) or an `actuated`.
    const cases = [2, 3, 5, 8, 12, 17, 23].flatMap((k) => [
      [k, 0.01],
      [k, 0.06],
    ]) as [number, number][];
    for (const [k, canaryBad] of cases) {
      const runDir = join(disk, `run-${k}`);
      mkdirSync(runDir);
      const inner = memoryActuator();
      const { calls, actuator } = counting(inner);
      const clock = manualClock(0);
      const source = simulatedSource({
        weight: () => inner.weight,
        badRate: { canary: canaryBad, baseline: 0.01 },
        perSnapshot: 400,
        seed: k,
      });
      const config = {
        steps: [10, 50, 100],
        minStepMs: 60_000,
        minStepSamples: 5,
        intervalMs: 30_000,
        maxTotalMs: 3_600_000,
      };
      let events = 0;
      let filler: string | undefined;
      let at = '';
      const first = await runRollout({
        source,
        metrics: TEST_METRICS,
        actuator,
        journal: openCanaryJournal(openRunFolder(runDir).journal),
        clock,
        config,
        onEvent: (e) => {
          if (++events === k) {
            filler = fill(disk);
            at = e.type;
          }
        },
      }).then(
        (o) => o,
        (e: unknown) => e,
      );
      const journal = () =>
        readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .flatMap((l) => {
            try {
              return [JSON.parse(l) as CanaryEvent];
            } catch {
              return []; // a line the full disk cut short
            }
          });
      // tmpfs counts whole pages: a journal line that still fits in the file's last page
      // is written even on a full disk, so a rollout may finish before it hits ENOSPC.
      const hit = isShipgateError(first);
      if (hit) {
        expect(first.code).toBe('SG_RUN_DIR_UNWRITABLE');
        expect(first.exitCode).toBe(3);
        expect(first.message).toMatch(/ENOSPC/);
      } else expect((first as { outcome: string }).outcome, String(first)).toMatch(/promoted|rolled_back/);
      // Intent before action: every actuator call that changes traffic has its journaled intent.
      const intents = journal().filter((e) => e.type === 'canary.actuating').length;
      expect(calls.filter((op) => op !== 'state').length).toBeLessThanOrEqual(intents);
      if (filler) rmSync(filler);
      const resumed = await runRollout({
        source,
        metrics: TEST_METRICS,
        actuator,
        journal: openCanaryJournal(openRunFolder(runDir).journal),
        clock,
        config,
      });
      const terminal = inner.changes.filter((ch) => ch === 'promote' || ch === 'rollback');
      expect(terminal, inner.changes.join(', ')).toHaveLength(1);
      expect(journal().filter((e) => e.type === 'canary.finished')).toHaveLength(1);
      summary.push(
        `${canaryBad === 0.01 ? 'A/A' : 'bad'} k=${k}${filler ? ` full after ${at}` : ''}: ${hit ? 'ENOSPC, resumed' : 'finished'} → ${resumed.outcome}`,
      );
      rmSync(runDir, { recursive: true, force: true });
    }
    writeSync(2, `canary disk full: ${summary.join('; ')}\n`);
    expect(summary.filter((line) => line.includes('ENOSPC')).length).toBeGreaterThanOrEqual(4);
  });
});
