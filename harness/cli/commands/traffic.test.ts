import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_SCRUB_KEY } from '../../../scenarios/pii/test-key.ts';
import { sampleOrder } from '../../../scenarios/traffic/test-orders.ts';
import { run } from '../program.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-traffic-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  delete process.env.SHIPGATE_SCRUB_KEY;
});

async function shipgate(...args: string[]): Promise<number> {
  process.exitCode = undefined;
  await run(['node', 'shipgate', ...args]);
  return Number(process.exitCode ?? 0);
}

describe('shipgate traffic generate', () => {
  it('writes the same seeded day twice, as JSONL or CSV', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    expect(await shipgate('traffic', 'generate', '--orders', '60', '--seed', 's1', '--out', a)).toBe(0);
    expect(
      await shipgate('traffic', 'generate', '--orders', '60', '--seed', 's1', '--out', b, '--json'),
    ).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8').trim().split('\n')).toHaveLength(60);
    expect(JSON.parse(stdout.slice(stdout.indexOf('{')))).toMatchObject({
      orders: 60,
      profile: 'normal',
      seed: 's1',
    });
    const csv = join(dir, 'a.csv');
    expect(await shipgate('traffic', 'generate', '--orders', '60', '--profile', 'peak', '--out', csv)).toBe(
      0,
    );
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(601);
  });

  it('refuses a bad date or count with exit 2', async () => {
    expect(await shipgate('traffic', 'generate', '--date', '2026-13-45', '--out', join(dir, 'x.jsonl'))).toBe(
      2,
    );
    expect(stderr).toContain('date must be YYYY-MM-DD');
    expect(await shipgate('traffic', 'generate', '--orders', '-3')).toBe(2);
  });
});

describe('shipgate traffic scrub', () => {
  const markers = ['Zqmarkname', '+447700900555', 'zq.marker@corpzq.test', 'Zqstreet', 'Zqcity'];
  const planted = sampleOrder('o-planted', {
    customer: {
      name: 'Zqmarkname Person',
      phone: '+447700900555',
      email: 'zq.marker@corpzq.test',
      address: { line1: '5 Zqstreet Road', city: 'Zqcity', postcode: '212345', country: 'XS' },
    },
    destination: { region: 'N', postcode: '212345' },
    notes: 'call +447700900555, mail zq.marker@corpzq.test',
  });

  it('scrubs every PII field, quarantines bad lines without their PII, and balances the accounting', async () => {
    const input = join(dir, 'in.jsonl');
    const bad = JSON.stringify({ ...planted, id: 'o-bad', value: 'Zqmarkname' });
    writeFileSync(
      input,
      [JSON.stringify(planted), bad, '{"name":"Zqmarkname', JSON.stringify(planted), ''].join('\n'),
    );
    process.env.SHIPGATE_SCRUB_KEY = TEST_SCRUB_KEY;
    const runDir = join(dir, 'run');
    const out = join(dir, 'out.jsonl');
    expect(await shipgate('traffic', 'scrub', input, '--out', out, '--run-dir', runDir, '--json')).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.counts).toMatchObject({ read: 4, sent: 1, quarantined: 3, pending: 0 });
    expect(summary.quarantinedByCode).toEqual({ 'invalid-field': 1, 'malformed-json': 1, 'duplicate-id': 1 });
    const written = [out, ...readdirSync(runDir).map((name) => join(runDir, name))].map((file) =>
      readFileSync(file, 'utf8'),
    );
    for (const text of [...written, stdout, stderr])
      for (const marker of markers) expect(text).not.toContain(marker);
    const quarantine = readFileSync(join(runDir, 'quarantine.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(quarantine.map((q) => [q.line, q.field])).toEqual([
      [2, 'value'],
      [3, '(line)'],
      [4, 'id'],
    ]);
  });

  it('refuses to run without a scrub key (exit 2) and names the variable', async () => {
    const input = join(dir, 'in2.jsonl');
    writeFileSync(input, `${JSON.stringify(planted)}\n`);
    expect(
      await shipgate('traffic', 'scrub', input, '--out', join(dir, 'o2.jsonl'), '--run-dir', join(dir, 'r2')),
    ).toBe(2);
    expect(stderr).toContain('SHIPGATE_SCRUB_KEY is not set');
  });

  it('names a missing input file or a directory (exit 2) and makes no run folder', async () => {
    process.env.SHIPGATE_SCRUB_KEY = TEST_SCRUB_KEY;
    mkdirSync(join(dir, 'folder.jsonl'));
    mkdirSync(join(dir, 'folder'));
    const cases = [
      ['nope.jsonl', 'no such file'],
      ['folder.jsonl', 'is a directory'],
      ['folder', 'is a directory'],
    ] as const;
    for (const [name, reason] of cases) {
      stderr = '';
      const runDir = join(dir, `never-${name}`);
      const code = await shipgate(
        'traffic',
        'scrub',
        join(dir, name),
        '--out',
        join(dir, 'o3.jsonl'),
        '--run-dir',
        runDir,
      );
      expect(code, name).toBe(2);
      expect(stderr).toContain(`SG_FILE_UNREADABLE: cannot read ${join(dir, name)}: ${reason}`);
      expect(existsSync(runDir), name).toBe(false);
    }
  });
});

describe('shipgate traffic import and inspect', () => {
  const fixture = (name: string) =>
    join(import.meta.dirname, '../../../scenarios/traffic/import/fixtures', name);

  it('imports a messy export through a map: orders written, bad rows quarantined, accounting balanced', async () => {
    const out = join(dir, 'imported.jsonl');
    const runDir = join(dir, 'import-run');
    const code = await shipgate(
      'traffic',
      'import',
      fixture('shop-export.csv'),
      '--map',
      fixture('shop-map.yaml'),
      '--out',
      out,
      '--run-dir',
      runDir,
      '--json',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.counts).toMatchObject({ read: 9, sent: 3, quarantined: 6, pending: 0 });
    expect(summary.quarantinedByCode).toEqual({
      'invalid-field': 3,
      'csv-row': 1,
      'duplicate-id': 1,
      'blank-line': 1,
    });
    const written = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(written.map((o) => o.id)).toEqual(['A-1001', 'A-1002', 'A-1008']);
    const quarantine = readFileSync(join(runDir, 'quarantine.jsonl'), 'utf8').trim().split('\n');
    expect(quarantine).toHaveLength(6);
    expect(JSON.parse(quarantine[0]!)).toMatchObject({ line: 4, code: 'invalid-field', field: 'createdAt' });

    // The imported file is ordinary traffic: inspect reads it, and reads the export through the map alike.
    stdout = '';
    expect(await shipgate('traffic', 'inspect', out, '--json')).toBe(0);
    const profile = JSON.parse(stdout);
    expect(profile).toMatchObject({
      records: 3,
      valid: 3,
      quarantined: 0,
      span: { first: '2026-11-27T09:14:00.000Z', last: '2026-11-27T18:05:00.000Z', hours: 8.9 },
      regions: { N: 1, S: 1, SE: 1 },
      serviceLevels: { economy: 1, express: 1, standard: 1 },
    });
    expect(profile.hourlyPercent[9]).toBeCloseTo(33.3, 1);
    stdout = '';
    expect(
      await shipgate('traffic', 'inspect', fixture('shop-export.csv'), '--map', fixture('shop-map.yaml')),
    ).toBe(0);
    expect(stdout).toContain('records 9  valid 3  would be quarantined 6 (66.7%)');
    expect(stdout).toContain('by reason: invalid-field 3, csv-row 1, duplicate-id 1, blank-line 1');
    expect(stdout).toContain('line 4: invalid-field createdAt:');
    expect(stdout).toMatch(/regions: N 1, S 1, SE 1/);
    expect(stdout).not.toContain('Cy Young');
  });

  it('a mistake in the map is exit 2 naming the map file and key, before any run folder', async () => {
    const map = join(dir, 'broken-map.yaml');
    writeFileSync(
      map,
      readFileSync(fixture('shop-map.yaml'), 'utf8').replace('value: $number(Total)', 'value: $number(Total'),
    );
    const runDir = join(dir, 'never-import');
    const code = await shipgate(
      'traffic',
      'import',
      fixture('shop-export.csv'),
      '--map',
      map,
      '--out',
      join(dir, 'x.jsonl'),
      '--run-dir',
      runDir,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/SG_CONFIG_INVALID: .*broken-map\.yaml: fields\.value: bad expression/);
    expect(existsSync(runDir)).toBe(false);
  });

  it('exits 3 when not one record could be imported (a map that fits nothing)', async () => {
    const export_ = join(dir, 'all-bad.csv');
    const lines = readFileSync(fixture('shop-export.csv'), 'utf8').split('\n');
    writeFileSync(export_, [lines[0], lines[3], lines[4], ''].join('\n'));
    const code = await shipgate(
      'traffic',
      'import',
      export_,
      '--map',
      fixture('shop-map.yaml'),
      '--out',
      join(dir, 'none.jsonl'),
      '--run-dir',
      join(dir, 'none-run'),
    );
    expect(code).toBe(3);
    expect(stdout).toContain('no record could be imported');
  });
});

describe('bin/shipgate.js traffic generate', () => {
  it('streams a day to stdout', async () => {
    const result = await execa(
      'node',
      ['bin/shipgate.js', 'traffic', 'generate', '--orders', '30', '--seed', 'bin'],
      {
        cwd: join(import.meta.dirname, '../../..'),
        timeout: 30_000,
      },
    );
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(30);
    expect(JSON.parse(lines[0]!).id).toMatch(/^o-[0-9a-f]{4}-20261127-0000001$/);
  });
});
