import { describeIssues, type SchemaIssue, validator } from '../schema/validate.ts';
import { type Report, Report as ReportSchema } from './model.ts';

const check = validator(ReportSchema);

export type ReportValidation =
  | { ok: true; report: Report }
  | { ok: false; issues: SchemaIssue[]; message: string };

/**
 * Schema validation plus the rules JSON Schema cannot say: a chart series' columns have
 * equal length, check ids are unique, each check sits in the section of its own layer.
 */
export function validateReport(value: unknown): ReportValidation {
  const result = check(value);
  if (!result.ok) return { ok: false, issues: result.issues, message: describeIssues(result.issues) };
  const report = result.value;
  const issues: SchemaIssue[] = [];
  for (const [name, section] of Object.entries(report.layers)) {
    if (!section) continue;
    const seen = new Set<string>();
    section.checks.forEach((c, i) => {
      if (c.layer !== name)
        issues.push({ path: `/layers/${name}/checks/${i}/layer`, message: `must be "${name}"` });
      if (seen.has(c.id))
        issues.push({ path: `/layers/${name}/checks/${i}/id`, message: `duplicate check id ${c.id}` });
      seen.add(c.id);
    });
  }
  report.layers.canary?.series.forEach((s, i) => {
    if (s.canary.length !== s.t.length || s.baseline.length !== s.t.length) {
      issues.push({
        path: `/layers/canary/series/${i}`,
        message: `columns differ in length (t ${s.t.length}, canary ${s.canary.length}, baseline ${s.baseline.length})`,
      });
    }
  });
  return issues.length ? { ok: false, issues, message: describeIssues(issues) } : { ok: true, report };
}
