import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** docs/benchmarks.md: every benchmark owns one `## ` section of it. */
export const BENCHMARKS_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/**
 * Replaces the section whose heading is `section`'s first line (up to the next `## `
 * heading), or appends it when the document has none: one benchmark's figures change,
 * the others' stay as measured.
 */
export function spliceSection(doc: string, section: string): string {
  const heading = section.split('\n', 1)[0]!;
  const body = `${section.trimEnd()}\n`;
  // Where the heading line starts in `doc` (the leading newline makes line 1 match too).
  const start = `\n${doc}`.indexOf(`\n${heading}\n`);
  if (start < 0) return `${doc.trimEnd()}${doc.trim() ? '\n\n' : ''}${body}`;
  const next = doc.slice(start + heading.length).search(/\n## (?!#)/);
  if (next < 0) return `${doc.slice(0, start)}${body}`;
  return `${doc.slice(0, start)}${body}\n${doc.slice(start + heading.length + next + 1)}`;
}

/** Writes `section` into docs/benchmarks.md (or `file`), creating the document if absent. */
export function writeSection(section: string, file = BENCHMARKS_DOC): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  writeFileSync(file, spliceSection(doc, section));
}

/**
 * The 1-minute load average, to one decimal: every section says what else the machine
 * was doing while it measured (issue 15), since these machines are shared.
 */
export const loadAverageNow = (): number => Math.round(loadavg()[0]! * 10) / 10;
