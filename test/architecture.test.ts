import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md "Layout": dependencies point one way. core/ at the bottom; contracts/ on
 * core; scenarios/ on contracts (and canary's metric definitions and sources, which its
 * SLOs are measured with); canary/ on core and the domain; dashboards/ on the metric
 * definitions; sandbox/ on contracts and canary's metric names; harness/ on top. No
 * layer imports harness/ or sandbox/: a layer is handed its target, it never starts one.
 *
 * Rules as data: for each top-level folder, the folders (or sub-folders) its non-test
 * files may import. Test-only files (see isTestOnly) may import anything, except that
 * the example platform shares nothing with shipgate at all.
 */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  contracts: ['core'],
  scenarios: ['core', 'contracts', 'canary/metrics', 'canary/sources'],
  // contracts/platform: the order outcomes the blast-radius export reads back.
  canary: ['core', 'contracts/domain', 'contracts/platform'],
  dashboards: ['core', 'canary/metrics'],
  sandbox: ['core', 'contracts', 'canary/metrics'],
  harness: ['core', 'contracts', 'scenarios', 'canary', 'dashboards', 'sandbox'],
  bench: ['core', 'contracts', 'scenarios', 'canary', 'dashboards', 'sandbox', 'harness'],
  bin: ['harness'],
  // Tooling at the repository's root (vitest.config.ts, shipgate.config.ts).
  '': ['test', 'harness'],
  test: ['core', 'contracts', 'scenarios', 'canary', 'dashboards', 'sandbox', 'harness'],
  examples: [],
};
/** A platform "another team wrote": nothing of shipgate's, tests included. */
const INDEPENDENT = 'examples/own-platform/';

/**
 * Test-only code, by one naming rule: `*.test.ts`; `testing.ts` / `*.testing.ts` beside
 * the module whose tests use it; `fixtures/` beside its test; `test/` at the root
 * (cross-module fakes in test/support/, suites that span layers).
 */
function isTestOnly(file: string): boolean {
  return (
    /\.test\.ts$/.test(file) ||
    /(^|\/)testing\.ts$/.test(file) ||
    /\.testing\.ts$/.test(file) ||
    /(^|\/)fixtures\//.test(file) ||
    file.startsWith('test/')
  );
}

interface Arrow {
  file: string;
  line: number;
  target: string;
}

/**
 * Every relative import (static, dynamic, re-export, require) in a source text, resolved
 * from the repo root. TypeScript's own pre-processor finds them, so text that merely looks
 * like an import (inside a string or a comment) is not one.
 */
function importsOf(file: string, source: string): Arrow[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.filter((i) => i.fileName.startsWith('./') || i.fileName.startsWith('../'))
    .map((i) => ({
      file,
      line: source.slice(0, i.pos).split('\n').length,
      target: posix.normalize(posix.join(posix.dirname(file), i.fileName)),
    }));
}

function violation(arrow: Arrow): string | undefined {
  const { file, target } = arrow;
  if (file.startsWith(INDEPENDENT))
    return target.startsWith(INDEPENDENT) ? undefined : 'the example platform shares no code with shipgate';
  const from = file.includes('/') ? file.split('/')[0]! : '';
  const to = target.split('/')[0]!;
  if (from === to || isTestOnly(file)) return undefined;
  const allowed = ALLOWED[from];
  if (!allowed) return `${from}/ is not a folder of the layout`;
  return allowed.some((a) => target === a || target.startsWith(`${a}/`))
    ? undefined
    : `${from}/ may import only ${allowed.join(', ') || 'itself'}`;
}

const root = join(import.meta.dirname, '..');
const sources = () =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && !f.startsWith('node_modules/'));

describe('the import direction of DESIGN.md', () => {
  it('no arrow points against the layout', () => {
    const wrong: string[] = [];
    for (const file of sources()) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      for (const arrow of importsOf(file, text)) {
        const why = violation(arrow);
        if (why) wrong.push(`${arrow.file}:${arrow.line} → ${arrow.target}: ${why}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('catches an arrow against the direction, dynamic imports and re-exports included', () => {
    const planted = [
      ['canary/judges/x.ts', "import { shipgateError } from '../../harness/errors.ts';"],
      ['scenarios/run/x.ts', "const { startWorld } = await import('../../sandbox/launch/world.ts');"],
      ['contracts/layer/x.ts', "export { a } from '../../harness/targets/providers.ts';"],
      ['core/x.ts', "import type { Order } from '../contracts/domain/order.ts';"],
      ['examples/own-platform/x.test.ts', "import { Rng } from '../../core/prng.ts';"],
    ] as const;
    for (const [file, line] of planted) {
      const arrows = importsOf(file, line);
      expect(arrows, file).toHaveLength(1);
      expect(violation(arrows[0]!), line).toBeDefined();
    }
    expect(
      violation(importsOf('harness/gate/x.ts', "import '../../sandbox/launch/world.ts';")[0]!),
    ).toBeUndefined();
    expect(
      violation(importsOf('canary/x.test.ts', "import '../sandbox/launch/world.ts';")[0]!),
    ).toBeUndefined();
  });
});
