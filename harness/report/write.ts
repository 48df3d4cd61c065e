import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { type Report, SCHEMA_VERSION } from '../../core/report/model.ts';
import { validateReport } from '../../core/report/validate.ts';
import type { RunFolder } from '../../core/run/run-folder.ts';
import { describeIssues } from '../../core/schema/validate.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { redactPii } from './redact.ts';

export const REPORT_FORMATS = ['json', 'md', 'html', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string> = {
  json: 'report.json',
  md: 'report.md',
  html: 'report.html',
  junit: 'junit.xml',
};

/** Report in, file content out: one pure renderer per format. */
export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'junit':
      return renderJunit(report);
  }
}

export type WrittenReports = Record<ReportFormat, string>;

/**
 * Writes report.json, report.md, report.html and junit.xml into the run folder and
 * returns their paths. The report is validated first: a report that does not match
 * its schema is a shipgate bug, and writing it would break every consumer downstream,
 * so nothing is written and the error names the first fields at fault. Then any
 * email- or phone-like text is redacted (journaled as `report.redacted`, paths only).
 */
export function writeReports(runFolder: RunFolder, report: Report): WrittenReports;
export function writeReports(
  runFolder: RunFolder,
  report: Report,
  formats: readonly ReportFormat[],
): Partial<WrittenReports>;
export function writeReports(
  runFolder: RunFolder,
  report: Report,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): Partial<WrittenReports> {
  // Through JSON first: what is validated is exactly what lands in report.json.
  const plain: unknown = JSON.parse(JSON.stringify(report));
  const result = validateReport(plain);
  if (!result.ok) {
    throw shipgateError('SG_REPORT_INVALID', {
      dir: runFolder.dir,
      version: SCHEMA_VERSION,
      problem: result.message,
    });
  }
  // Free text from outside (carrier messages, contract values) may carry PII-looking strings.
  const { value: safe, paths } = redactPii(result.report);
  if (paths.length)
    runFolder.journal.append({ type: 'report.redacted', count: paths.length, paths: paths.slice(0, 50) });
  const written: Partial<WrittenReports> = {};
  for (const format of formats)
    written[format] = runFolder.writeText(REPORT_FILES[format], renderReport(safe, format));
  return written;
}

/**
 * Reads and validates RUN_DIR/report.json (or a report.json path). Errors name the
 * file, the line and the field, as for any other input.
 */
export function readReport(path: string): Report {
  const file = path.endsWith('.json') ? path : join(path, REPORT_FILES.json);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw shipgateError('SG_FILE_UNREADABLE', { file, reason });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? 1 : lineAt(text, Number(position));
    throw shipgateError('SG_INPUT_INVALID', { file, line, field: '(json)', problem: message });
  }
  const result = validateReport(value);
  if (!result.ok) {
    const first = result.issues[0];
    const field = first?.path ? first.path.slice(1).replaceAll('/', '.') : '(root)';
    throw shipgateError('SG_INPUT_INVALID', {
      file,
      line: lineOfPath(text, first?.path ?? ''),
      field,
      problem: `${first?.message ?? 'invalid'} (report schema ${SCHEMA_VERSION}${result.issues.length > 1 ? `; all issues: ${describeIssues(result.issues)}` : ''})`,
    });
  }
  return result.report;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Best-effort line of a JSON pointer in a file: follows the pointer's keys in order
 * through the text (report.json is pretty-printed, one key per line). Array indexes
 * are skipped, so it lands on the first matching key after its parent; good enough to
 * point a reader at the right place.
 */
function lineOfPath(text: string, pointer: string): number {
  let offset = 0;
  for (const key of pointer.split('/').slice(1)) {
    if (/^\d+$/.test(key)) continue;
    const at = text.indexOf(`"${key.replaceAll('~1', '/').replaceAll('~0', '~')}"`, offset);
    if (at < 0) break;
    offset = at;
  }
  return lineAt(text, offset);
}
