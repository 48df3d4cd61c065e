import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOGUE } from '../canary/metrics/catalogue.ts';
import { firingIn, ruleTests, ruleTestsYaml } from './presets/builtin-rule-tests.ts';
import { alertRules, RULE_FILES, recordingRules, rulesYaml, sloAlertName } from './rules.ts';

const PROMTOOL = process.env.SHIPGATE_PROMTOOL ?? '/usr/bin/promtool';
let dir: string;

async function writeAll(target: string, options = {}) {
  await writeFile(join(target, RULE_FILES.recording), rulesYaml(recordingRules(options), 'recording rules'));
  await writeFile(join(target, RULE_FILES.alerts), rulesYaml(alertRules(options), 'alert rules'));
  await writeFile(join(target, RULE_FILES.tests), ruleTestsYaml(options));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-rules-'));
  await writeAll(dir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('generated Prometheus rules', () => {
  it('records every catalogue metric per window, and alerts on each SLO and on canary vs baseline', () => {
    const records = recordingRules().groups.flatMap((g) => g.rules.map((r) => r.record));
    for (const m of CATALOGUE) expect(records).toContain(`shipgate:${m.id}:5m`);
    expect(records).toContain('shipgate:processing_p95:1h');
    const alerts = alertRules().groups.flatMap((g) => g.rules);
    expect(new Set(alerts.map((a) => a.alert))).toEqual(
      new Set([
        'ShipgateOnTimeRateBelowSLO',
        'ShipgateProcessingOverSloAboveSLO',
        'ShipgateEtaPastPromiseAboveSLO',
        'ShipgateCutoffMissedAboveSLO',
        'ShipgateErrorRateAboveSLO',
        'ShipgateProcessingP95AboveSLO',
        'ShipgateCanaryWorseThanBaseline',
      ]),
    );
    const onTime = alerts.find((a) => a.alert === sloAlertName(CATALOGUE[0]!));
    expect(onTime).toMatchObject({ expr: 'shipgate:on_time_rate:1h < 0.95', for: '30m' });
    expect(alerts.find((a) => a.alert === 'ShipgateProcessingP95AboveSLO')?.expr).toBe(
      'shipgate:processing_p95:5m > 1',
    );
  });

  it('promtool check rules accepts both files', async () => {
    for (const file of [RULE_FILES.recording, RULE_FILES.alerts]) {
      const result = await execa(PROMTOOL, ['check', 'rules', join(dir, file)], { reject: false });
      expect(result.stdout + result.stderr).toMatch(/SUCCESS: \d+ rules found/);
      expect(result.exitCode).toBe(0);
    }
  });

  it('promtool test rules passes: values agree with the direct-scrape evaluator, alerts fire for exactly the bad metrics', async () => {
    const result = await execa(PROMTOOL, ['test', 'rules', join(dir, RULE_FILES.tests)], { reject: false });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
    // The expectations are not vacuous: the bad canary fires these, and only on the canary.
    const tests = ruleTests();
    expect(firingIn(tests, 'ShipgateCanaryWorseThanBaseline').sort()).toEqual([
      'eta_past_promise/canary',
      'on_time_rate/canary',
      'processing_over_slo/canary',
      'processing_p95/canary',
    ]);
    expect(firingIn(tests, 'ShipgateOnTimeRateBelowSLO')).toEqual(['on_time_rate/canary']);
    expect(firingIn(tests, 'ShipgateProcessingP95AboveSLO')).toEqual(['processing_p95/canary']);
    expect(firingIn(tests, 'ShipgateErrorRateAboveSLO')).toEqual([]);
    const aa = (tests as { tests: { alert_rule_test: { exp_alerts: unknown[] }[] }[] }).tests[1]!;
    expect(aa.alert_rule_test.every((t) => t.exp_alerts.length === 0)).toBe(true);
  });

  it('promtool test rules fails when a rule is wrong (the tests can fail)', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'shipgate-rules-broken-'));
    try {
      await writeAll(broken);
      // Loosen one SLO alert: the bad canary's p95 no longer fires.
      const alerts = alertRules();
      const rule = alerts.groups[0]!.rules.find((r) => r.alert === 'ShipgateProcessingP95AboveSLO')!;
      rule.expr = 'shipgate:processing_p95:5m > 100';
      await writeFile(join(broken, RULE_FILES.alerts), rulesYaml(alerts, 'alert rules'));
      const result = await execa(PROMTOOL, ['test', 'rules', join(broken, RULE_FILES.tests)], {
        reject: false,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/ShipgateProcessingP95AboveSLO/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('honours other version label values and escapes them', () => {
    const alerts = alertRules({ canary: 'build-42"x', baseline: 'v1.2.3' }).groups[1]!.rules;
    expect(alerts[0]!.expr).toContain('{version="build-42\\"x"}');
    expect(alerts[0]!.expr).toContain('{version="v1.2.3"}');
    // promtool runs on other version names through `dashboards export --check` (export.test.ts).
    expect(
      firingIn(ruleTests({ canary: 'build-42', baseline: 'v1.2.3' }), 'ShipgateOnTimeRateBelowSLO'),
    ).toEqual(['on_time_rate/build-42']);
  });

  it('writes YAML that parses back to the same rules', () => {
    expect(parse(rulesYaml(alertRules(), 'alert rules'))).toEqual(alertRules());
  });
});
