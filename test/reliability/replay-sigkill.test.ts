import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleOrders, startSink } from '../../scenarios/replay/testing.ts';
import { cleanups } from './helpers.ts';

/**
 * Fault matrix: `shipgate replay` as a real child process, killed with SIGKILL at
 * random points (at a random arrival at the platform, or a random time after start,
 * which may land while the CLI is still loading), then resumed from its run folder.
 * Counted at the sink by order id: every order created exactly once, no first attempt
 * twice (a re-send after a kill carries the same idempotency key as a retry).
 */
const c = cleanups();
afterEach(() => c.run());

const MAIN = join(import.meta.dirname, '..', '..', 'harness', 'cli', 'main.ts');
const ORDERS = 80;

describe('fault matrix: SIGKILL during replay', () => {
  it('resumes after kills at random points without double-sending, and ends with every order sent once', async () => {
    const seed = Number(process.env.SHIPGATE_FUZZ_SEED ?? 20261123);
    // Two kills (each child costs seconds of tsx start-up on a shared CI box): one at a
    // random arrival, one at a random time after the run's first arrival — so it may
    // land between requests, mid-request or while an outcome line is being written.
    const [k1] = fc.sample(fc.integer({ min: 1, max: 25 }), { numRuns: 1, seed });
    const [delay] = fc.sample(fc.integer({ min: 0, max: 200 }), { numRuns: 1, seed: seed + 1 });
    const plan: ({ arrival: number } | { afterFirstArrivalMs: number })[] = [
      { arrival: k1! },
      { afterFirstArrivalMs: delay! },
    ];

    const dir = c.tempDir('sg-rel-kill-');
    const file = join(dir, 'day.jsonl');
    const orders = sampleOrders(ORDERS, { everyMs: 10_000, prefix: 'k' });
    writeFileSync(file, `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const out = join(dir, 'run');

    let child: ResultPromise | undefined;
    let arrivalsThisRun = 0;
    let killAtArrival = Number.POSITIVE_INFINITY;
    let killAfterFirstMs: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const sink = await startSink({
      delayMs: 15,
      onArrival: () => {
        if (++arrivalsThisRun === killAtArrival) child?.kill('SIGKILL');
        if (arrivalsThisRun === 1 && killAfterFirstMs !== undefined) {
          const victim = child;
          timer = setTimeout(() => victim?.kill('SIGKILL'), killAfterFirstMs);
        }
      },
    });
    c.add(() => sink.close());

    const spawn = (resume: boolean) =>
      execa(
        process.execPath,
        [
          '--import',
          'tsx',
          MAIN,
          'replay',
          file,
          '--target',
          sink.url,
          '--speed',
          'max',
          '--concurrency',
          '4',
          '--settle-timeout',
          '3000',
          '--no-progress',
          '--json',
          ...(resume ? ['--resume', out] : ['--out', out]),
        ],
        { reject: false, timeout: 60_000 },
      );

    const outcomes: { kill: string; signal?: string; exitCode?: number }[] = [];
    let started = false;
    for (const step of plan) {
      arrivalsThisRun = 0;
      killAtArrival = 'arrival' in step ? step.arrival : Number.POSITIVE_INFINITY;
      killAfterFirstMs = 'afterFirstArrivalMs' in step ? step.afterFirstArrivalMs : undefined;
      child = spawn(started);
      started = true;
      const r = await child;
      clearTimeout(timer);
      outcomes.push({ kill: JSON.stringify(step), signal: r.signal, exitCode: r.exitCode });
    }
    killAtArrival = Number.POSITIVE_INFINITY;
    killAfterFirstMs = undefined;
    child = spawn(true);
    const final = await child;
    expect(final.exitCode, String(final.stderr)).toBe(0);
    const summary = JSON.parse(String(final.stdout));
    expect(summary.accounting).toMatchObject({
      read: ORDERS,
      sent: ORDERS,
      failed: 0,
      quarantined: 0,
      lost: 0,
    });
    // Both kills landed mid-replay (they are triggered by arrivals at the platform).
    expect(outcomes.filter((o) => o.signal === 'SIGKILL')).toHaveLength(2);

    // Counted at the sink, by order id.
    const ids = sink.arrivals.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(orders.map((o) => o.id).sort());
    for (const [id, count] of sink.requests) expect(count.first, id).toBeLessThanOrEqual(1);
    // Every outcome line in the results file names an order once as accepted.
    const accepted = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; id?: string; status?: string })
      .filter((l) => l.t === 'outcome' && l.status === 'accepted')
      .map((l) => l.id);
    expect(new Set(accepted).size).toBe(ORDERS);
    console.info(
      `sigkill plan ${JSON.stringify(plan)} → ${JSON.stringify(outcomes)}; resent-as-retry ${[...sink.requests.values()].reduce((s, r) => s + r.retries, 0)}`,
    );
  });
});
