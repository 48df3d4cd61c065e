import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The example platform is another team's system: it may import its own files, npm
 * packages and node: builtins, and nothing of shipgate (not core/, contracts/,
 * sandbox/…, nor the `shipgate` package itself). Every import form counts: static,
 * re-export, type-only, dynamic import() and require().
 */
const ROOT = import.meta.dirname;
const REPO = resolve(ROOT, '..', '..');
const REPO_PACKAGE = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string }).name;
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Why an import is not allowed from `file`, or undefined when it is. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return undefined;
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    return target === ROOT || target.startsWith(ROOT + sep)
      ? undefined
      : `reaches outside the example: ${relative(REPO, target)}`;
  }
  if (specifier.startsWith('/') || specifier.startsWith('#') || /^[a-z]+:/i.test(specifier)) {
    return 'not a relative path, an npm package or a node: builtin';
  }
  if (builtinModules.includes(specifier)) return 'a builtin without the node: prefix';
  const name = packageName(specifier);
  if (name === REPO_PACKAGE) return `the ${REPO_PACKAGE} package itself`;
  if (!existsSync(join(REPO, 'node_modules', name, 'package.json')))
    return `no npm package ${name} installed`;
  return undefined;
}

describe('the example platform imports nothing of shipgate', () => {
  const files = sourceFiles(ROOT);

  it('scans every source file of the example', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map((f) => relative(ROOT, f))).toContain('independence.test.ts');
  });

  it('has only its own files, npm packages and node: builtins as imports', () => {
    const found: string[] = [];
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        found.push(specifier);
        const why = violation(file, specifier);
        if (why) problems.push(`${relative(REPO, file)}: import '${specifier}' ${why}`);
      }
    }
    expect(found).toContain('fastify');
    expect(found).toContain('prom-client');
    expect(problems).toEqual([]);
  });

  it('would catch each way of reaching shipgate', () => {
    const file = join(ROOT, 'desk', 'app.ts');
    const text = [
      "import { SERIES } from '../../../canary/metrics/names.ts';",
      "export { Order } from '../../contracts/domain/order.ts';",
      "import type { Rng } from '../../../core/prng.ts';",
      "const m = await import('../../../sandbox/router/app.ts');",
      "const d = require('shipgate/config');",
      "import x from '/work/main/harness/cli/main.ts';",
      "import y from 'fs';",
    ].join('\n');
    const flagged = specifiersOf(text).map((s) => violation(file, s));
    expect(flagged.every((why) => why !== undefined)).toBe(true);
    expect(flagged).toHaveLength(7);
    expect(violation(file, './zones.ts')).toBeUndefined();
    expect(violation(file, '@pact-foundation/pact')).toBeUndefined();
  });
});
