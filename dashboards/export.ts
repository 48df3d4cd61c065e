import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOGUE } from '../canary/metrics/presets/builtin.ts';
import { shipgateError } from '../core/errors.ts';
import { type DashboardOptions, grafanaDashboard } from './grafana.ts';
import { ruleTestsYaml } from './presets/builtin-rule-tests.ts';
import { alertRules, RULE_FILES, type RulesOptions, recordingRules, rulesYaml } from './rules.ts';

export const DASHBOARD_FILE = 'shipgate-dashboard.json';

export interface ExportedFiles {
  dashboard: string;
  recording: string;
  alerts: string;
  /** promtool unit tests: written for the built-in catalogue, whose series they simulate. */
  tests?: string;
}

/**
 * Writes the Grafana dashboard, the recording and alert rules and their promtool tests
 * into one folder: import the JSON in Grafana, list the two rule files under
 * `rule_files:`, and run `promtool test rules rules.test.yml` in CI.
 */
export function exportDashboards(
  outDir: string,
  options: RulesOptions & DashboardOptions = {},
): ExportedFiles {
  const dir = resolve(outDir);
  // The unit tests feed the built-in series: a target's own definitions get rules and a
  // dashboard (promtool check rules still applies), not tests of data it does not have.
  const builtin =
    (options.catalogue === undefined || options.catalogue === CATALOGUE) && !options.versionLabel;
  const files: ExportedFiles = {
    dashboard: join(dir, DASHBOARD_FILE),
    recording: join(dir, RULE_FILES.recording),
    alerts: join(dir, RULE_FILES.alerts),
    ...(builtin ? { tests: join(dir, RULE_FILES.tests) } : {}),
  };
  const contents: Partial<Record<keyof ExportedFiles, string>> = {
    dashboard: `${JSON.stringify(grafanaDashboard(options), null, 2)}\n`,
    recording: rulesYaml(recordingRules(options), 'recording rules'),
    alerts: rulesYaml(alertRules(options), 'alert rules'),
    ...(builtin ? { tests: ruleTestsYaml(options) } : {}),
  };
  try {
    mkdirSync(dir, { recursive: true });
    for (const key of Object.keys(files) as (keyof ExportedFiles)[])
      writeFileSync(files[key]!, contents[key]!);
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error ? `${String(error.code)} ${error.message}` : String(error);
    throw shipgateError('SG_DASHBOARDS_EXPORT_FAILED', { dir, reason }, error);
  }
  return files;
}
