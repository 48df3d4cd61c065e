import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanaryEvents } from './journal.ts';

/**
 * The exactly-once guarantee under a real SIGKILL: a rollout child process is killed
 * twice — once mid-analysis, once between `actuating` and `actuated` of the rollback
 * (the fake router holds the rollback answer so the kill lands there) — and restarted
 * with the same run folder each time. The journal and the router must each show
 * exactly one rollback.
 */

const TOKEN = 'router-token-for-resume-test';
const CHILD = join(import.meta.dirname, 'fixtures', 'rollout-child.ts');

const router = {
  weight: 0,
  phase: 'stable',
  revision: 0,
  rollbackCalls: 0,
  rollbackChanges: 0,
  promoteChanges: 0,
  holdRollbackMs: 0,
};
let canaryBad = false;
const totals = { stable: { orders: 0, errors: 0 }, canary: { orders: 0, errors: 0 } };
const app = Fastify();
let base = '';
let dir = '';

beforeAll(async () => {
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/admin') && req.headers.authorization !== `Bearer ${TOKEN}`)
      return reply.code(401).send({});
  });
  const state = () => ({
    canaryWeight: router.weight,
    phase: router.phase,
    revision: router.revision,
    updatedAt: new Date().toISOString(),
  });
  app.get('/admin/state', async () => state());
  app.put('/admin/weight', async (req) => {
    Object.assign(router, {
      weight: (req.body as { weight: number }).weight,
      phase: 'progressing',
      revision: router.revision + 1,
    });
    return state();
  });
  app.post('/admin/rollback', async () => {
    router.rollbackCalls++;
    if (router.phase !== 'rolled_back') {
      router.rollbackChanges++;
      Object.assign(router, { weight: 0, phase: 'rolled_back', revision: router.revision + 1 });
    }
    // Applied, but the answer is slow: a kill now leaves `actuating` without `actuated`.
    await new Promise((r) => setTimeout(r, router.holdRollbackMs));
    return state();
  });
  app.post('/admin/promote', async () => {
    if (router.phase !== 'promoted') {
      router.promoteChanges++;
      Object.assign(router, { weight: 100, phase: 'promoted', revision: router.revision + 1 });
    }
    return state();
  });
  // Each scrape: 100 more orders split by the router's weight; the canary errs 40% once bad.
  app.get('/metrics', async (_req, reply) => {
    for (let i = 0; i < 100; i++) {
      const v = (i * 37) % 100 < router.weight ? 'canary' : 'stable';
      totals[v].orders++;
      if (v === 'canary' ? canaryBad && i % 5 < 2 : i % 50 === 0) totals[v].errors++;
    }
    reply.header('content-type', 'text/plain; version=0.0.4');
    return ['stable', 'canary']
      .map(
        (v) =>
          `orders_total{version="${v}"} ${totals[v as 'stable'].orders}\nerrors_total{version="${v}"} ${totals[v as 'stable'].errors}\n`,
      )
      .join('');
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  dir = mkdtempSync(join(tmpdir(), 'sg-resume-'));
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(): ResultPromise {
  // node --import tsx, not the tsx CLI: the CLI forks a second process that a SIGKILL
  // of the first would leave running.
  return execa(process.execPath, ['--import', 'tsx', CHILD], {
    env: { RUN_DIR: dir, ROUTER_URL: base, ROUTER_TOKEN: TOKEN, METRICS_URL: `${base}/metrics` },
    reject: false,
    timeout: 40_000,
  });
}

const journalFile = () => join(dir, 'journal.jsonl');
const events = () => (existsSync(journalFile()) ? readCanaryEvents(journalFile()).events : []);

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SIGKILL and resume', () => {
  it('ends with exactly one rollback in the journal and at the router', async () => {
    // 1. Killed mid-analysis, while the canary still looks healthy.
    const first = start();
    await until('two evaluations', () => events().filter((e) => e.type === 'canary.evaluation').length >= 2);
    first.kill('SIGKILL');
    const r1 = await first;
    expect(r1.signal).toBe('SIGKILL');
    expect(
      events()
        .filter((e) => e.type === 'canary.decision' && e.action.type !== 'advance')
        .map((e) => JSON.stringify(e)),
    ).toEqual([]);

    // 2. The canary turns bad; killed right after journaling the rollback intent.
    canaryBad = true;
    router.holdRollbackMs = 5_000;
    const second = start();
    await until('the rollback intent', () =>
      events().some((e) => e.type === 'canary.actuating' && e.op === 'rollback'),
    );
    await until('the router to receive it', () => router.rollbackCalls >= 1, 5_000);
    second.kill('SIGKILL');
    const r2 = await second;
    expect(r2.signal).toBe('SIGKILL');
    expect(
      events().some((e) => e.type === 'canary.actuated' && e.op === 'rollback'),
      JSON.stringify(
        events()
          .slice(-4)
          .map((e) => [e.type, (e as { op?: string }).op, e.t]),
      ),
    ).toBe(false);

    // 3. Restarted: re-issues the same idempotent rollback and finishes.
    router.holdRollbackMs = 0;
    const third = await start();
    expect(third.exitCode, String(third.stderr)).toBe(1);
    expect(JSON.parse(String(third.stdout))).toEqual({ outcome: 'rolled_back', resumed: true });

    const all = events();
    const terminal = all.filter(
      (e) => e.type === 'canary.decision' && (e.action.type === 'rollback' || e.action.type === 'promote'),
    );
    expect(terminal).toHaveLength(1);
    expect(all.filter((e) => e.type === 'canary.finished')).toHaveLength(1);
    expect(all.filter((e) => e.type === 'canary.resumed')).toHaveLength(2);
    expect(all.filter((e) => e.type === 'canary.actuated' && e.op === 'rollback')).toHaveLength(1);
    expect(router.rollbackChanges).toBe(1);
    expect(router.promoteChanges).toBe(0);
    expect(router.rollbackCalls).toBe(2); // the original, and the re-issue after the kill
    expect(router.phase).toBe('rolled_back');
    // Every line of the journal is whole JSON (a torn line would have been repaired).
    for (const line of readFileSync(journalFile(), 'utf8').trim().split('\n'))
      expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);
});
