import type { Check, Report } from '../../core/report/model.ts';
import { presentLayers } from '../../core/report/verdict.ts';
import { evidenceSummary, LAYER_TITLE } from './format.ts';

/**
 * junit.xml: one <testsuite> per layer, one <testcase> per check, so CI systems
 * (GitHub, GitLab, Jenkins) list gate results natively.
 *
 * Status mapping (documented in docs/report-schema.md):
 * - pass         → a plain <testcase>
 * - fail         → <failure type="fail" message="…"> with the evidence as text
 * - inconclusive → <error type="inconclusive" message="…">: CI must not show a check
 *                  without evidence as green, and "skipped" reads as harmless; an
 *                  error says "could not be decided", which is what it is
 * - skipped      → <skipped message="…">
 * Every suite carries the release as <properties>, and system-out holds the evidence
 * of passing checks too, so a reviewer can see why a check passed.
 */
export function renderJunit(report: Report): string {
  const layers = presentLayers(report);
  const all = layers.flatMap(([, s]) => s.checks);
  const count = (checks: readonly Check[]) => ({
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'fail').length,
    errors: checks.filter((c) => c.status === 'inconclusive').length,
    skipped: checks.filter((c) => c.status === 'skipped').length,
  });
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites ${attrs({ name: `shipgate ${report.release.name}`, ...count(all), time: seconds(report.timings.durationMs), timestamp: report.timings.startedAt })}>`,
  );
  for (const [name, section] of layers) {
    lines.push(
      `  <testsuite ${attrs({ name: `shipgate.${name}`, ...count(section.checks), time: seconds(section.timings?.durationMs), timestamp: section.timings?.startedAt ?? report.timings.startedAt })}>`,
    );
    lines.push('    <properties>');
    const props: Record<string, string | undefined> = {
      layer: LAYER_TITLE[name],
      release: report.release.name,
      candidate: report.release.candidateVersion,
      baseline: report.release.baselineVersion,
      commit: report.release.commit,
      'shipgate.version': report.tool.version,
      'run.id': report.runId,
      verdict: report.decision.verdict,
    };
    for (const [key, value] of Object.entries(props)) {
      if (value !== undefined) lines.push(`      <property ${attrs({ name: key, value })}/>`);
    }
    lines.push('    </properties>');
    for (const check of section.checks) lines.push(...testcase(check, name));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(check: Check, layer: string): string[] {
  const head = `    <testcase ${attrs({ classname: `shipgate.${layer}`, name: `${check.title} [${check.id}]`, time: ((check.durationMs ?? 0) / 1000).toFixed(3) })}`;
  const evidence = evidenceSummary(check.evidence);
  const details = check.evidence.details ? `\n${JSON.stringify(check.evidence.details, null, 2)}` : '';
  const body = `${check.message}\n${evidence}${details}`;
  switch (check.status) {
    case 'pass':
      return [`${head}>`, `      <system-out>${text(body)}</system-out>`, '    </testcase>'];
    case 'fail':
      return [
        `${head}>`,
        `      <failure ${attrs({ type: 'fail', message: check.message })}>${text(body)}</failure>`,
        '    </testcase>',
      ];
    case 'inconclusive':
      return [
        `${head}>`,
        `      <error ${attrs({ type: 'inconclusive', message: check.message })}>${text(body)}</error>`,
        '    </testcase>',
      ];
    case 'skipped':
      return [`${head}>`, `      <skipped ${attrs({ message: check.message })}/>`, '    </testcase>'];
  }
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${attr(String(v))}"`)
    .join(' ');
}

/**
 * XML 1.0 allows only tab, LF, CR and U+0020.. (minus surrogates, U+FFFE/F) — any other
 * control character makes the whole file unreadable to CI, so it becomes U+FFFD.
 * Lone surrogates are replaced too (valid pairs are kept by the `u` flag).
 */
function clean(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu, '\uFFFD');
}

export function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function attr(value: string): string {
  // Newlines and tabs in attributes would be normalised to spaces by parsers; keep them as references.
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
