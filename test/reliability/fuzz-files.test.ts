import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { handlersFromPacts, readPacts } from '../../contracts/msw/from-pact.ts';
import { isShipgateError } from '../../core/errors.ts';
import { sampleOrders } from '../../scenarios/replay/testing.ts';
import { readTraffic } from '../../scenarios/traffic/index.ts';
import { cleanups, fuzzRuns, fuzzTimeout } from './helpers.ts';

/**
 * Hostile input, as files on disk: pact files (the msw handler generator's reader),
 * config files (JSON and YAML through harness/config), and structure-aware mutations
 * of valid traffic files (truncation, spliced bytes, huge and deeply nested lines,
 * unicode) through the real streaming readers. The byte-level reader fuzz lives beside
 * the readers (scenarios/traffic/hostile.test.ts); these start from valid files, which
 * reach deeper. Nothing may crash: a file is read, or refused with a catalogued error
 * naming the file (and line/field where there is one).
 */
const c = cleanups();
afterAll(() => c.run());
const dir = c.tempDir('sg-rel-fuzzfiles-');

const VALID_PACT = {
  consumer: { name: 'platform' },
  provider: { name: 'labelfast' },
  interactions: [
    {
      description: 'a quote',
      request: { method: 'POST', path: '/v1/quotes', body: { content: { weightKg: 1 } } },
      response: {
        status: 200,
        headers: { 'content-type': ['application/json'] },
        body: { content: { price: 1 } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

/** Random edits of a JSON value: replace, delete or retype a node at a random path. */
function mutateJson(value: unknown): fc.Arbitrary<unknown> {
  return fc
    .array(fc.tuple(fc.nat(), fc.oneof(fc.jsonValue(), fc.constant(undefined))), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      const copy = structuredClone(value) as Record<string, unknown>;
      for (const [pick, replacement] of edits) {
        const nodes: { parent: Record<string, unknown>; key: string }[] = [];
        const walk = (node: unknown) => {
          if (node && typeof node === 'object')
            for (const key of Object.keys(node)) {
              nodes.push({ parent: node as Record<string, unknown>, key });
              walk((node as Record<string, unknown>)[key]);
            }
        };
        walk(copy);
        const target = nodes[pick % Math.max(nodes.length, 1)];
        if (!target) continue;
        if (replacement === undefined) delete target.parent[target.key];
        else target.parent[target.key] = replacement;
      }
      return copy;
    });
}

const texts = (valid: unknown) =>
  fc.oneof(
    mutateJson(valid).map((v) => JSON.stringify(v)),
    fc.nat({ max: 400 }).map((n) => JSON.stringify(valid).slice(0, n)),
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.integer({ min: 1000, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  );

describe('fuzz: pact files', () => {
  it(
    'read or refused naming the file; handlers build from whatever is read',
    () => {
      let n = 0;
      fc.assert(
        fc.property(texts(VALID_PACT), (text) => {
          const pactDir = join(dir, `pacts-${++n}`);
          mkdirSync(pactDir);
          writeFileSync(join(pactDir, 'platform-labelfast.json'), text);
          try {
            handlersFromPacts(readPacts(pactDir));
          } catch (error) {
            // contracts/ imports nothing of ours, so a plain Error in the SG_INPUT_INVALID shape.
            expect((error as Error).message, String(error)).toMatch(
              /platform-labelfast\.json:\d+: [\w.[\]()]+: \S/,
            );
          } finally {
            rmSync(pactDir, { recursive: true, force: true });
          }
        }),
        { numRuns: fuzzRuns(300) },
      );
    },
    fuzzTimeout(300, 10),
  );
});

const configModule = join(import.meta.dirname, '..', '..', 'harness', 'config', 'load.ts');
describe('fuzz: config files', () => {
  const VALID_CONFIG = {
    target: { kind: 'urls', stable: 'http://127.0.0.1:8080', canary: 'http://127.0.0.1:8081' },
    canary: { steps: [1, 5, 25, 50, 100] },
  };
  it(
    'JSON and YAML: loaded, or SG_CONFIG_INVALID / SG_FILE_UNREADABLE naming the file and key',
    async () => {
      // Loosely typed so this file type-checks before harness/config is committed.
      const { loadConfig } = (await import(configModule)) as {
        loadConfig(o: { file: string }): Promise<unknown>;
      };
      const yamlBombs = fc.constantFrom(
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
        '!!js/function "function(){}"',
        'target: !!binary aGVsbG8=',
        '? [a, b]\n: c',
        '%YAML 9.9\n---\na: 1',
        'canary:\n  steps: [1, 1e999, -0]\n',
        '__proto__:\n  polluted: true\n',
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(texts(VALID_CONFIG), yamlBombs),
          fc.constantFrom('json', 'yaml'),
          async (text, ext) => {
            const file = join(dir, `shipgate.config-${++n}.${ext}`);
            writeFileSync(file, text);
            try {
              await loadConfig({ file });
            } catch (error) {
              expect(isShipgateError(error), String(error)).toBe(true);
              expect((error as { code: string }).code).toMatch(/^SG_CONFIG_INVALID|SG_FILE_UNREADABLE$/);
              expect((error as Error).message).toContain(file);
            } finally {
              rmSync(file, { force: true });
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: fuzzRuns(300) },
      );
    },
    fuzzTimeout(300, 20),
  );
});

describe('fuzz: traffic files mutated from valid ones', () => {
  const orders = sampleOrders(6, { prefix: 'fz' });
  const jsonl = `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`;
  const har = JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'x', version: '1' },
      entries: orders.map((o) => ({
        request: {
          method: 'POST',
          url: 'http://shop/orders',
          postData: { mimeType: 'application/json', text: JSON.stringify(o) },
        },
        response: { status: 202 },
      })),
    },
  });
  const splice = (valid: string) =>
    fc.oneof(
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.string({ unit: 'binary', maxLength: 40 }))
        .map(([at, s]) => valid.slice(0, at) + s + valid.slice(at)),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 60 }))
        .map(([at, k]) => valid.slice(0, at) + valid.slice(at + k)),
      fc.constantFrom(
        `${jsonl}${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}\n`,
        `${jsonl}{"id":"${'x'.repeat(2 * 1024 * 1024)}"}\n`,
        `${jsonl}{"id":"fz-u","customer":{"name":"\u202e\ud83d\ude00\u0000\ud800"}}\n`,
        `\ufeff${jsonl.replaceAll('\n', '\r\n')}`,
      ),
    );
  it(
    'CSV: every row yielded or quarantined with line and field, or the file refused by name',
    async () => {
      const { Writable } = await import('node:stream');
      const { writeTraffic } = await import('../../scenarios/traffic/index.ts');
      const chunks: string[] = [];
      await writeTraffic(
        orders,
        new Writable({
          write: (chunk, _encoding, done) => {
            chunks.push(String(chunk));
            done();
          },
        }),
        'csv',
      );
      const csv = chunks.join('');
      let n = 0;
      await fc.assert(
        fc.asyncProperty(splice(csv), async (text) => {
          const file = join(dir, `c-${++n}.csv`);
          writeFileSync(file, text);
          try {
            for await (const record of readTraffic(file)) {
              expect(record.line).toBeGreaterThanOrEqual(1);
              if (record.kind === 'quarantined') {
                expect(record.field.length).toBeGreaterThan(0);
                expect(record.reason.length).toBeGreaterThan(0);
              }
            }
          } catch (error) {
            expect(isShipgateError(error), String(error)).toBe(true);
            expect((error as Error).message).toContain(file);
          } finally {
            rmSync(file, { force: true });
          }
        }),
        { numRuns: fuzzRuns(100) },
      );
    },
    fuzzTimeout(100, 60),
  );

  it(
    'JSONL and HAR: every record yielded or quarantined with line and field, or the file refused by name',
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('jsonl', 'har'), fc.context(), async (format, ctx) => {
          const text = fc.sample(splice(format === 'jsonl' ? jsonl : har), { numRuns: 1, seed: n })[0]!;
          const file = join(dir, `t-${++n}.${format}`);
          writeFileSync(file, text);
          ctx.log(text.slice(0, 200));
          try {
            let count = 0;
            for await (const record of readTraffic(file)) {
              count++;
              expect(record.line).toBeGreaterThanOrEqual(1);
              if (record.kind === 'quarantined') {
                expect(record.field.length).toBeGreaterThan(0);
                expect(record.reason.length).toBeGreaterThan(0);
              }
            }
            if (format === 'jsonl') expect(count).toBeLessThanOrEqual(text.split('\n').length);
          } catch (error) {
            expect(isShipgateError(error), String(error)).toBe(true);
            expect((error as Error).message).toContain(file);
          } finally {
            rmSync(file, { force: true });
          }
        }),
        { numRuns: fuzzRuns(200) },
      );
      expect(readdirSync(dir).filter((f) => f.startsWith('t-'))).toEqual([]);
    },
    fuzzTimeout(200, 30),
  );
});
