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
