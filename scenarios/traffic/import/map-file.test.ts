import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isShipgateError } from '../../../core/errors.ts';
import { loadTrafficMap, parseTrafficMap } from './map-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shopMap = parse(
  readFileSync(fileURLToPath(new URL('./fixtures/shop-map.yaml', import.meta.url)), 'utf8'),
) as { fields: Record<string, unknown> } & Record<string, unknown>;

function refusal(run: () => unknown): { code: string; message: string; exit: number } {
  try {
    run();
  } catch (error) {
    if (isShipgateError(error)) return { code: error.code, message: error.message, exit: error.exitCode };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('map files', () => {
  it('loads the documented example with its lookups and compiled expressions', () => {
    const map = loadTrafficMap(fileURLToPath(new URL('./fixtures/shop-map.yaml', import.meta.url)));
    expect(map.fields.map((f) => f.target)).toContain('items');
    expect(map.fields.find((f) => f.target === 'serviceLevel')?.reads).toEqual(['Service']);
    expect(map.fields.find((f) => f.target === 'id')?.reads).toEqual(['Order Ref']);
    expect(Object.keys(map.bindings).sort()).toEqual(['date', 'promiseDays', 'regionOf', 'services']);
  });

  it.each([
    [
      'an unknown order field',
      { fields: { ...shopMap.fields, colour: 'Colour' } },
      'fields.colour',
      /unknown order field; the fields are id, createdAt/,
    ],
    [
      'a bad expression',
      { fields: { ...shopMap.fields, value: '$number(Total' } },
      'fields.value',
      /bad expression at character \d+/,
    ],
    [
      'an empty expression',
      { fields: { ...shopMap.fields, notes: '' } },
      'fields.notes',
      /must be a JSONata expression/,
    ],
    [
      'a required field left out',
      { fields: { ...shopMap.fields, promisedBy: undefined, currency: undefined } },
      'fields',
      /no mapping for required order field\(s\) promisedBy, currency/,
    ],
    ['an unknown key', { ...shopMap, colums: {} }, 'colums', /unknown key/],
    ['a bad format', { ...shopMap, format: 'xlsx' }, 'format', /one of csv, jsonl, json/],
    ['a bad delimiter', { ...shopMap, csv: { delimiter: '""' } }, 'csv.delimiter', /one character/],
    [
      'a lookup named like a helper',
      { ...shopMap, lookups: { date: {} } },
      'lookups.date',
      /other than regionOf and date/,
    ],
  ])('refuses %s: exit 2, SG_CONFIG_INVALID naming the file and key', (_, document, key, problem) => {
    const fields = Object.fromEntries(
      Object.entries((document as { fields?: Record<string, unknown> }).fields ?? shopMap.fields).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const e = refusal(() => parseTrafficMap({ ...document, fields }, 'my-map.yaml'));
    expect(e.code).toBe('SG_CONFIG_INVALID');
    expect(e.exit).toBe(2);
    expect(e.message.startsWith(`my-map.yaml: ${key}: `)).toBe(true);
    expect(e.message).toMatch(problem);
  });

  it('refuses a map file that is not YAML, or missing, naming it', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'fields: [unclosed\n');
    expect(refusal(() => loadTrafficMap(bad))).toMatchObject({
      code: 'SG_CONFIG_INVALID',
      message: expect.stringMatching(/bad\.yaml: \(file\): not valid YAML/),
    });
    expect(refusal(() => loadTrafficMap(join(dir, 'none.yaml')))).toMatchObject({
      code: 'SG_FILE_UNREADABLE',
      message: expect.stringMatching(/none\.yaml: no such file/),
    });
  });
});
