import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import type { Report } from '../../core/report/model.ts';
import { validateReport } from '../../core/report/validate.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { runCli } from '../cli/testing.ts';
import { brokenIntegrationReport, failedCanaryReport, passingGateReport } from './fixtures/reports.ts';
import { readReport, writeReports } from './write.ts';

const root = mkdtempSync(join(tmpdir(), 'shipgate-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('writeReports', () => {
  it('writes report.json, report.md, report.html and junit.xml; report.json round-trips and validates', () => {
    const folder = openRunFolder(join(root, 'ok'));
    const report = failedCanaryReport();
    const written = writeReports(folder, report);
    expect(Object.keys(written).sort()).toEqual(['html', 'json', 'junit', 'md']);
    expect(readdirSync(folder.dir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    const json = JSON.parse(readFileSync(written.json, 'utf8'));
    expect(validateReport(json).ok).toBe(true);
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readReport(folder.dir)).toEqual(json);
  });

  it('refuses an invalid report, naming the field, and writes nothing', () => {
    const folder = openRunFolder(join(root, 'bad'));
    const report = failedCanaryReport() as Report & {
      layers: { canary: { blastRadius: { rows: object[] } } };
    };
    Object.assign(report.layers.canary.blastRadius.rows[0]!, { phone: '+4915112345678' });
    const error = thrown(() => writeReports(folder, report));
    expect(isShipgateError(error) && error.code).toBe('SG_REPORT_INVALID');
    expect((error as Error).message).toMatch(/layers\.canary\.blastRadius\.rows\.0 unknown field\(s\) phone/);
    expect(readdirSync(folder.dir)).toEqual([]);
  });

  it('redacts PII-looking text in every file it writes, and journals where (not what)', () => {
    const folder = openRunFolder(join(root, 'pii'));
    const report = brokenIntegrationReport();
    report.layers.contracts!.failures[0]!.actual = 'recipient.phone +4915123456789, email jane@example.com';
    const written = writeReports(folder, report);
    for (const file of Object.values(written)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain('4915123456789');
      expect(text, file).not.toContain('jane@example.com');
    }
    expect(readFileSync(written.json, 'utf8')).toContain(
      'recipient.phone [phone redacted], email [email redacted]',
    );
    const journal = readFileSync(folder.journal.file, 'utf8');
    expect(journal).toContain('"type":"report.redacted"');
    expect(journal).toContain('/layers/contracts/failures/0/actual');
    expect(journal).not.toContain('jane@example.com');
  });
});

describe('readReport', () => {
  it('names the file, line and field of a schema violation', () => {
    const folder = openRunFolder(join(root, 'read-bad'));
    const text = `${JSON.stringify({ ...brokenIntegrationReport(), decision: { verdict: 'maybe', reason: 'x' } }, null, 2)}\n`;
    writeFileSync(folder.path('report.json'), text);
    const error = thrown(() => readReport(folder.dir));
    expect(isShipgateError(error) && error.code).toBe('SG_INPUT_INVALID');
    const line = text.split('\n').findIndex((l) => l.includes('"verdict": "maybe"')) + 1;
    expect((error as Error).message).toMatch(new RegExp(`report\\.json:${line}: decision\\.verdict: `));
  });

  it('names the line of a JSON syntax error, and a missing file', () => {
    const folder = openRunFolder(join(root, 'read-syntax'));
    writeFileSync(folder.path('report.json'), '{\n  "schemaVersion": "1.0",\n  oops\n}\n');
    expect((thrown(() => readReport(folder.dir)) as Error).message).toMatch(/report\.json:3: \(json\): /);
    const missing = thrown(() => readReport(join(root, 'nowhere')));
    expect(isShipgateError(missing) && missing.code).toBe('SG_FILE_UNREADABLE');
  });
});

describe('shipgate report (CLI)', () => {
  const bin = resolve('bin/shipgate.js');
  /** The real binary, once, to prove the wiring; in-process for the rest (a tsx start costs seconds here). */
  const spawn = (...args: string[]) => execa('node', [bin, ...args], { reject: false, timeout: 30_000 });
  const cli = async (...args: string[]) => {
    const result = await runCli(args);
    return { ...result, stdout: result.stdout.replace(/\n$/, '') };
  };

  it('re-renders every format into the run folder and prints the paths; --stdout prints one format', async () => {
    const folder = openRunFolder(join(root, 'cli'));
    writeFileSync(folder.path('report.json'), JSON.stringify(passingGateReport()));
    const all = await spawn('report', folder.dir);
    expect(all.stderr).toBe('');
    expect(all.exitCode).toBe(0);
    expect(all.stdout.split('\n').sort()).toEqual(
      ['junit.xml', 'report.html', 'report.json', 'report.md'].map((f) => join(folder.dir, f)),
    );
    expect(readFileSync(folder.path('report.md'), 'utf8')).toMatch(/^## shipgate: PASS/);

    const md = await cli('report', folder.dir, '--stdout');
    expect(md.stdout).toMatch(/^## shipgate: PASS/);
    const junit = await cli('report', join(folder.dir, 'report.json'), '--format', 'junit', '--stdout');
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it('--exit-code ends with the verdict (1 for a rollback); a bad report.json is a usage error (2)', async () => {
    const folder = openRunFolder(join(root, 'cli-fail'));
    writeFileSync(folder.path('report.json'), JSON.stringify(failedCanaryReport()));
    const failed = await cli('report', folder.dir, '--format', 'html', '--exit-code', '--json');
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({
      verdict: 'fail',
      written: { html: folder.path('report.html') },
    });
    expect(existsSync(folder.path('report.md'))).toBe(false);

    writeFileSync(folder.path('report.json'), JSON.stringify({ schemaVersion: '9.9' }));
    const bad = await cli('report', folder.dir);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/SG_INPUT_INVALID: .*report\.json:1: /);
  });
});
