import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import { expectedOrders } from '../load/profile.ts';
import { exportK6, k6Thresholds } from './export.ts';
import { k6Load } from './stages.ts';

const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
const TARGET = 'http://127.0.0.1:8080';

describe('k6 export', () => {
  it('type-checks against @types/k6 for every catalogue scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const files: string[] = [];
    for (const scenario of SCENARIOS) {
      const out = exportK6(scenario, [], join(dir, scenario.name), { target: TARGET });
      files.push(out.script);
    }
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

  it('thresholds mirror the expectations k6 can see, with abortOnFail', () => {
    const scenario = SCENARIOS.find((s) => s.name === 'carrier-outage')!;
    const dir = mkdtempSync(join(tmpdir(), 'sg-k6-'));
    const files = exportK6(scenario, [], dir, { target: TARGET });
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
});
