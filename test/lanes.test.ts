import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION, LONGEST_FIRST } from './lanes.ts';

/**
 * The unit lane must run with no system package and no sandbox: a test file that starts
 * one (itself or through a test helper it imports) must be listed in test/lanes.ts.
 */
const ROOT = resolve(import.meta.dirname, '..');
const NEEDS_INTEGRATION =
  /\b(startWorld|startWorldProcesses|startSandboxTarget|startPrometheus|prometheusAvailable|runGate|runScenario|runDemo|execa|spawn|verifyProvidersIsolated)\(|\bverifierLog\b|promtool|PROMTOOL|launchChromium/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The file and the test helpers it imports relatively (*helper*, *testing*). */
function sourceWithHelpers(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const helpers = [...text.matchAll(/from '(\.[^']*(?:helper|testing)[^']*)'/g)].map((m) =>
    readFileSync(resolve(ROOT, dirname(file), m[1]!), 'utf8'),
  );
  return [text, ...helpers].join('\n');
}

const pattern = (glob: string) => new RegExp(`^${glob.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}$`);
const listed = (file: string) => INTEGRATION.some((glob) => pattern(glob).test(file));

describe('test lanes', () => {
  // This file names the markers; it starts nothing.
  const files = testFiles(ROOT).filter((f) => f !== 'test/lanes.test.ts');

  it('lists every test file that starts the sandbox, Prometheus, a browser or a process', () => {
    const unlisted = files.filter((f) => !listed(f) && NEEDS_INTEGRATION.test(sourceWithHelpers(f)));
    expect(unlisted).toEqual([]);
  });

  it('lists no file that does not exist', () => {
    expect(INTEGRATION.filter((glob) => !files.some((f) => pattern(glob).test(f)))).toEqual([]);
  });

  it('starts first only integration files that exist', () => {
    expect(LONGEST_FIRST.filter((f) => !files.includes(f) || !listed(f))).toEqual([]);
  });
});
