import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShipgateError } from '../errors.ts';
import { createRunFolder, openRunFolder } from './run-folder.ts';

describe('run folder', () => {
  it('creates <time>-<id> under the root and appends journal events as JSON lines', () => {
    const root = mkdtempSync(join(tmpdir(), 'sg-runs-'));
    const run = createRunFolder({ root, now: new Date('2026-11-23T10:00:00.123Z') });
    expect(run.dir).toMatch(/2026-11-23T10-00-00Z-[0-9a-f]{6}$/);
    run.journal.append({ type: 'started' });
    run.journal.append({ type: 'decided', decision: 'rollback' });
    const lines = readFileSync(run.journal.file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['started', 'decided']);
    expect(JSON.parse(readFileSync(run.writeJson('report.json', { a: 1 }), 'utf8'))).toEqual({ a: 1 });
  });

  it('names the folder when it cannot be created', () => {
    // A path under a regular file fails for root too (ENOTDIR), unlike a chmod.
    const root = mkdtempSync(join(tmpdir(), 'sg-runs-'));
    writeFileSync(join(root, 'blocker'), '');
    const dir = join(root, 'blocker', 'run');
    expect(() => createRunFolder({ dir })).toThrow(ShipgateError);
    expect(() => createRunFolder({ dir })).toThrow(dir);
  });

  it('gives a folder named by the user a run id of its own, not text parsed from its path, and keeps it on resume', () => {
    const root = mkdtempSync(join(tmpdir(), 'sg-runs-'));
    // Before: the id was the text after the path's last dash ("18400/gate", "raw").
    for (const dir of [join(root, 'run-east-18400', 'gate'), join(root, 'diag-raw')]) {
      const run = openRunFolder(dir);
      expect(run.id).toMatch(/^[0-9a-f]{6}$/);
      run.journal.append({ type: 'started' });
      run.journal.append({ type: 'next' });
      const again = openRunFolder(dir);
      expect(again.id).toBe(run.id);
      const lines = readFileSync(run.journal.file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.runId)).toEqual([run.id, undefined]);
    }
    expect(openRunFolder(join(root, 'diag-raw')).id).not.toBe(openRunFolder(join(root, 'other')).id);
  });
});
