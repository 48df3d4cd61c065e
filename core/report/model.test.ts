import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  brokenIntegrationReport,
  failedCanaryReport,
  passingGateReport,
} from '../../harness/report/fixtures/reports.ts';
import { reportJsonSchema, SCHEMA_VERSION } from './model.ts';
import { renderSchemaFile, SCHEMA_FILE } from './schema-file.ts';
import { validateReport } from './validate.ts';

const fixtures = { failedCanaryReport, brokenIntegrationReport, passingGateReport };

describe('report model', () => {
  it('the committed report.schema.json matches model.ts (regenerate: npx tsx core/report/schema-file.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchemaFile());
  });

  it.each(Object.entries(fixtures))(
    '%s validates with the typebox validator and with ajv against the schema file',
    (_, make) => {
      const report = make();
      const result = validateReport(report);
      expect(result.ok ? '' : result.message).toBe('');
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats.default(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
      expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
      expect(report.schemaVersion).toBe(SCHEMA_VERSION);
    },
  );

  it('rejects a report with a wrong version, a bad verdict, an unknown field, or ragged series, naming the path', () => {
    const report = failedCanaryReport();
    // biome-ignore lint/suspicious/noExplicitAny: the test reaches into the report to break it on purpose
    type Loose = any;
    const bad = (mutate: (r: Loose) => void) => {
      const copy: Loose = structuredClone(report);
      mutate(copy);
      const result = validateReport(copy);
      return result.ok ? 'ok' : result.message;
    };
    expect(bad((r) => (r.schemaVersion = '2.0'))).toMatch(/schemaVersion/);
    expect(bad((r) => (r.decision.verdict = 'maybe'))).toMatch(/decision\.verdict/);
    expect(bad((r) => (r.layers.canary.blastRadius.rows[0].email = 'a@b.c'))).toMatch(
      /unknown field\(s\) email/,
    );
    expect(bad((r) => r.layers.canary.series[0].canary.pop())).toMatch(/columns differ/);
    expect(bad((r) => (r.layers.replay.checks[0].layer = 'canary'))).toMatch(/must be "replay"/);
  });

  it('has no field that could hold customer PII (orders appear by id only)', () => {
    const forbidden =
      /^(customer|phone|email|address|line1|line2|postcode|notes|firstName|lastName|fullName)$/i;
    const keys: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node && typeof node === 'object') {
        const props = (node as { properties?: Record<string, unknown> }).properties;
        if (props) keys.push(...Object.keys(props));
        Object.values(node).forEach(walk);
      }
    };
    walk(reportJsonSchema());
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => forbidden.test(k))).toEqual([]);
  });
});
