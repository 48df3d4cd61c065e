import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

export interface SchemaIssue {
  /** JSON pointer into the value, e.g. `/customer/email`; empty for the value itself. */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

/**
 * Compiles a schema once and returns a checker that reports every issue with its path,
 * so callers can name the field in their own error (file, line, field).
 */
export function validator<S extends TSchema>(schema: S): (value: unknown) => Validated<Static<S>> {
  const compiled = Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
    const issues: SchemaIssue[] = [];
    const unknown: SchemaIssue[] = [];
    for (const error of compiled.Errors(value)) {
      // typebox also reports the `false` sub-schema behind additionalProperties; the
      // parent's error already names the property, so one line is enough. But typebox
      // stops after 8 errors: with 8+ unknown fields only these are reported, so keep
      // them to fall back on (else the issue list would be empty and name nothing).
      if (error.keyword === 'boolean') {
        const at = error.instancePath.lastIndexOf('/');
        unknown.push({
          path: error.instancePath.slice(0, at),
          message: `unknown field ${error.instancePath.slice(at + 1)}`,
        });
        continue;
      }
      const params = error.params as { additionalProperties?: string[]; allowedValues?: unknown[] };
      const extra = params.additionalProperties;
      // An enum names its values (they come from the schema, never from the input).
      const allowed = params.allowedValues?.map(String);
      const message = extra
        ? `unknown field(s) ${extra.join(', ')}`
        : allowed
          ? `must be one of ${allowed.join(', ')}`
          : error.message;
      issues.push({ path: error.instancePath, message });
      if (issues.length >= 20) break;
    }
    if (issues.length === 0) issues.push(...unknown);
    if (issues.length === 0) issues.push({ path: '', message: 'does not match the schema' });
    return { ok: false, issues };
  };
}

/** "customer.email must match format "email"; items.0.qty must be integer" */
export function describeIssues(issues: SchemaIssue[]): string {
  return issues
    .map((issue) => `${issue.path ? issue.path.slice(1).replaceAll('/', '.') : '(root)'} ${issue.message}`)
    .join('; ');
}
