import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SHIPGATE_SERIES, SHIPGATE_SERIES_SPEC } from '../../canary/metrics/names.ts';
import { startFakePushgateway } from '../../test/support/fake-pushgateway.ts';
import { validateConfig } from '../config/load.ts';
import { runGate } from '../gate/run.ts';

/**
 * The gate's own metrics, end to end: a real gate (replay and a scenario against the
 * embedded sandbox, small: 40 orders as fast as they go, peak-day at 0.5% with a
 * quarter day of delivery tracking, so some SLOs stay unmeasured) pushing to a
 * stand-in Pushgateway, whose last push must hold the verdict, check, replay and
 * scenario series with the catalogue's labels and the values the report states. And a
 * Pushgateway that is down changes nothing but one warning.
 */
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (closers.length) await closers.pop()!();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function config(layers: ('replay' | 'scenarios')[]) {
  return validateConfig(
    {
      release: { name: 'self-metrics' },
      target: { kind: 'sandbox', sandbox: { speed: 3600, canaryDefect: 'none', latency: 'none', seed: 5 } },
      layers,
      replay: { orders: 40, speed: 'max', diffBudget: 0.05, seed: 'self-metrics' },
      scenarios: { run: ['peak-day'], scale: 0.005, speed: 144, settleDays: 0.25, settleTimeout: '5s' },
    },
    'test',
  ).resolved;
}

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-self-metrics-'));
  dirs.push(dir);
  return dir;
}

/** `name{a="x",b="y"} value` lines of an exposition, parsed. */
function samples(text: string) {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
      );
      return { name: m[1]!, labels: labels as Record<string, string>, value: Number(m[3]) };
    });
}

describe("the gate pushes shipgate's own metrics", { timeout: 120_000 }, () => {
  it('replay and scenario series reach the Pushgateway with the catalogue labels and the report’s values', async () => {
    const gateway = await startFakePushgateway();
    closers.push(gateway.close);
    const dir = runDir();
    const result = await runGate({
      config: config(['replay', 'scenarios']),
      runDir: dir,
      progress: () => {},
      pushgateway: { url: gateway.url },
    });
    expect(gateway.pushes.length).toBeGreaterThanOrEqual(2); // at the start and at the end
    for (const push of gateway.pushes)
      expect(push).toMatchObject({ method: 'PUT', job: 'shipgate', run: result.report.runId });

    const pushed = samples(gateway.last());
    const value = (name: string, labels: Record<string, string>) =>
      pushed.find(
        (s) =>
          s.name === name &&
          Object.keys(s.labels).length === Object.keys(labels).length &&
          Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;

    // Every sample carries exactly its series' documented label names.
    const specOf = new Map<string, readonly string[]>(
      Object.entries(SHIPGATE_SERIES).map(([k, name]) => [
        name,
        SHIPGATE_SERIES_SPEC[k as keyof typeof SHIPGATE_SERIES].labels as readonly string[],
      ]),
    );
    for (const s of pushed)
      expect(Object.keys(s.labels).sort(), s.name).toEqual([...specOf.get(s.name)!].sort());

    const replay = result.report.layers.replay!;
    const scenarios = result.report.layers.scenarios!;
    expect(value(SHIPGATE_SERIES.gateVerdicts, { layer: 'replay', verdict: replay.status })).toBe(1);
    expect(value(SHIPGATE_SERIES.gateVerdicts, { layer: 'scenarios', verdict: scenarios.status })).toBe(1);
    for (const check of replay.checks)
      expect(
        value(SHIPGATE_SERIES.gateChecks, {
          layer: 'replay',
          metric: check.id.slice('replay/'.length),
          status: check.status,
        }),
        check.id,
      ).toBeGreaterThanOrEqual(1);

    // The replay's lines, as its accounting in the report counts them.
    const a = replay.accounting;
    expect(a.read).toBe(40);
    for (const outcome of ['read', 'sent', 'failed', 'quarantined', 'lost'] as const)
      expect(value(SHIPGATE_SERIES.replayOrders, { outcome }), outcome).toBe(a[outcome]);

    // The scenario: progress done, orders and every SLO's target (and observed value when measured).
    const run = scenarios.runs[0]!;
    expect(value(SHIPGATE_SERIES.scenarioProgress, { scenario: 'peak-day' })).toBe(1);
    expect(run.orders!.sent).toBeGreaterThan(0);
    expect(value(SHIPGATE_SERIES.scenarioOrders, { scenario: 'peak-day', outcome: 'sent' })).toBe(
      run.orders!.sent,
    );
    expect(value(SHIPGATE_SERIES.scenarioOrders, { scenario: 'peak-day', outcome: 'lost' })).toBe(
      run.orders!.lost,
    );
    for (const slo of run.slos) {
      expect(value(SHIPGATE_SERIES.scenarioSlo, { scenario: 'peak-day', slo: slo.id, kind: 'target' })).toBe(
        slo.target.value,
      );
      if (slo.observed === null)
        expect(
          value(SHIPGATE_SERIES.scenarioSlo, { scenario: 'peak-day', slo: slo.id, kind: 'observed' }),
        ).toBeUndefined();
      else
        expect(
          value(SHIPGATE_SERIES.scenarioSlo, { scenario: 'peak-day', slo: slo.id, kind: 'observed' }),
        ).toBeCloseTo(slo.observed, 9);
    }

    // No order id ever becomes a label value.
    const ids = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .split('\n')
      .flatMap((l) => (l ? [(JSON.parse(l) as { id?: string }).id] : []))
      .filter((id): id is string => typeof id === 'string');
    expect(ids.length).toBeGreaterThan(0);
    const text = gateway.pushes.map((p) => p.body).join('\n');
    for (const id of new Set(ids)) expect(text).not.toContain(id);
  });

  it('a Pushgateway that is down: the same exit code, one warning on stderr, nothing else', async () => {
    const gateway = await startFakePushgateway();
    const url = gateway.url.replace('http://', 'http://ci:hunter2@');
    await gateway.close(); // nothing listens there any more
    const warnings: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    });
    const result = await runGate({
      config: config(['replay']),
      runDir: runDir(),
      progress: () => {},
      pushgateway: { url },
      pushIntervalMs: 100,
    });
    vi.restoreAllMocks();
    expect(result.report.layers.replay?.status).toBe('pass');
    expect(result.exitCode).toBe(0);
    const ours = warnings.filter((w) => w.includes('Pushgateway'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(
      /^shipgate: warning: could not push shipgate's own metrics to the Pushgateway at http:\/\/127\.0\.0\.1:\d+ /,
    );
    expect(ours[0]).not.toContain('hunter2');
  });
});
