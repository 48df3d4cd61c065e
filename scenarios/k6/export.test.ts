import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import { expectedOrders } from '../load/profile.ts';
import { sandboxPlatform } from '../platform/sandbox.ts';
import { scenarioOrders } from '../run/orders.ts';
import { exportK6, type K6Request, type K6RequestShape, k6Thresholds } from './export.ts';
import { runK6Script } from './run-script.testing.ts';
import { k6ShapeOf } from './shape.ts';
import { k6Load } from './stages.ts';

const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
const TARGET = 'http://127.0.0.1:8080';
const SANDBOX = k6ShapeOf(sandboxPlatform);
const peak = SCENARIOS.find((s) => s.name === 'peak-day')!;

/** A platform of another shape: PUT by the caller's reference, its own body, 201. */
const OTHER_SHAPE: K6RequestShape = {
  name: 'other (test)',
  acceptedStatuses: [200, 201],
  request: async (order) => ({
    id: order.id,
    method: 'PUT',
    path: `/fulfilment/requests/${order.id.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    headers: { 'content-type': 'application/json', 'x-tenant': 'shop' },
    body: JSON.stringify({ ref: order.id, units: order.items.reduce((n, i) => n + i.qty, 0) }),
  }),
};

describe('k6 export', () => {
  it('type-checks against @types/k6 for every catalogue scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const files: string[] = [];
    for (const scenario of SCENARIOS) {
      const out = await exportK6(scenario, [], join(dir, scenario.name), {
        target: TARGET,
        shape: SANDBOX,
      });
      files.push(out.files.script);
    }
    const other = await exportK6(peak, [], join(dir, 'other'), { target: TARGET, shape: OTHER_SHAPE });
    files.push(other.files.script);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2020',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2020'],
          types: ['k6'],
          typeRoots: [join(process.cwd(), 'node_modules', '@types')],
        },
        files,
      }),
    );
    const result = await execa(tsc, ['-p', join(dir, 'tsconfig.json')], { reject: false });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('stages follow the scenario: the same orders in the same real time', () => {
    for (const scenario of SCENARIOS) {
      const load = k6Load(scenario.load, scenario.speed);
      const stageSeconds = load.stages.reduce((s, st) => s + Number.parseInt(st.duration, 10), 0);
      expect(Math.abs(stageSeconds - load.realSeconds)).toBeLessThanOrEqual(load.stages.length);
      const expected = expectedOrders(scenario.load);
      // Per-minute targets are integers: rounding may move the total a little, never much.
      expect(Math.abs(load.expectedOrders - expected) / expected).toBeLessThan(0.05);
    }
    const burst = k6Load(SCENARIOS.find((s) => s.name === 'black-friday')!.load, 240);
    const targets = burst.stages.map((s) => s.target);
    expect(Math.max(...targets) / Math.min(...targets)).toBeGreaterThan(40);
  });

  it('thresholds mirror the expectations k6 can see, with abortOnFail', async () => {
    const scenario = SCENARIOS.find((s) => s.name === 'carrier-outage')!;
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const { files } = await exportK6(scenario, [], dir, { target: TARGET, shape: SANDBOX });
    const script = readFileSync(files.script, 'utf8');
    for (const t of k6Thresholds(scenario.expectations)) {
      expect(script).toContain(JSON.stringify(t.metric));
      expect(script).toContain(JSON.stringify(t.threshold));
    }
    expect(
      k6Thresholds(scenario.expectations)
        .map((t) => t.mirrors)
        .sort(),
    ).toEqual(['error_rate', 'processing_p95_seconds', 'processing_p99_seconds', 'shipped_rate'].sort());
    expect(script).toContain('"abortOnFail": true');
    expect(script).toContain('on_time_rate >= 0.95');
    const testRun = parse(readFileSync(files.testRun, 'utf8'));
    expect(testRun).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      spec: { parallelism: 1 },
    });
    expect(testRun.spec.script.configMap.file).toBe('script.ts');
  });

  it('sends the platform’s request shape, one distinct order per iteration, clones past the scaled orders', async () => {
    const orders = scenarioOrders({ load: peak.load, seed: 'k6', scale: 0.1 });
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const { files, requests: count } = await exportK6(peak, orders, dir, {
      target: TARGET,
      shape: OTHER_SHAPE,
    });
    const requests = JSON.parse(readFileSync(files.requests, 'utf8')) as K6Request[];
    expect(requests).toHaveLength(count);
    expect(count).toBeGreaterThanOrEqual(Math.round(k6Load(peak.load, peak.speed).expectedOrders));
    expect(new Set(requests.map((r) => r.id)).size).toBe(count);
    expect(requests[orders.length]!.id).toBe(`${orders[0]!.id}:x1`);
    expect(requests[orders.length]!.path).toBe(`/fulfilment/requests/${orders[0]!.id}_x1`);

    const run = runK6Script(files.script, {
      iterations: count + 3,
      status: 201,
      env: { SHIPGATE_TARGET: 'http://kestrel.test/' },
    });
    expect(run.requests).toHaveLength(count);
    for (const [i, sent] of run.requests.slice(0, 50).entries()) {
      const order = orders[i]!;
      expect(sent).toEqual({
        method: 'PUT',
        url: `http://kestrel.test/fulfilment/requests/${order.id}`,
        body: JSON.stringify({ ref: order.id, units: order.items.reduce((n, it) => n + it.qty, 0) }),
        headers: { 'content-type': 'application/json', 'x-tenant': 'shop' },
        tags: { name: 'intake' },
      });
    }
    expect(run.checks.accepted).toEqual([count, 0]);
    // Past the data nothing is sent twice: the iterations are counted instead.
    expect(run.counters.requests_exhausted).toBe(3);
    // A status outside the shape's accepted ones fails the check.
    expect(runK6Script(files.script, { iterations: 5, status: 202 }).checks.accepted).toEqual([0, 5]);
  });

  it('the built-in sandbox adapter’s shape posts the order to /v1/orders with its idempotency key; any 2xx is accepted', async () => {
    const orders = scenarioOrders({ load: peak.load, seed: 'k6', scale: 0.01 });
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const { files } = await exportK6(peak, orders, dir, { target: TARGET, shape: SANDBOX });
    const run = runK6Script(files.script, { iterations: 1, status: 202 });
    const [first] = run.requests;
    expect(first).toMatchObject({
      method: 'POST',
      url: `${TARGET}/v1/orders`,
      headers: { 'content-type': 'application/json', 'Idempotency-Key': orders[0]!.id },
    });
    expect(run.checks.accepted).toEqual([1, 0]);
    expect(runK6Script(files.script, { iterations: 1, status: 503 }).checks.accepted).toEqual([0, 1]);
    expect(JSON.parse(first!.body!)).toEqual(orders[0]);
  });
});
