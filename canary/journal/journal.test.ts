import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { openCanaryJournal, readCanaryEvents } from './journal.ts';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-journal-'));
  dirs.push(dir);
  return openRunFolder(dir);
};

describe('canary journal', () => {
  it('cuts a torn last line (a kill mid-write) so the next append starts clean', () => {
    const run = folder();
    run.journal.append({ type: 'canary.resumed', t: 1, events: 0, repairedBytes: 0 });
    appendFileSync(run.journal.file, '{"type":"canary.observ');
    const journal = openCanaryJournal(run.journal);
    expect(journal.existing).toHaveLength(1);
    expect(journal.repairedBytes).toBe(22);
    journal.append({ type: 'canary.resumed', t: 2, events: 1, repairedBytes: 22 });
    const lines = readFileSync(run.journal.file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).t)).toEqual([1, 2]);
  });

  it('skips other layers’ events and names the line of a corrupt one', () => {
    const run = folder();
    writeFileSync(
      run.journal.file,
      '{"type":"replay.sent","id":"x"}\n{"type":"canary.resumed","t":1}\nnot json\n{"type":"canary.resumed","t":2}\n',
    );
    expect(() => readCanaryEvents(run.journal.file)).toThrow(/journal.jsonl:3: \(line\): not a JSON line/);
    writeFileSync(run.journal.file, '{"type":"replay.sent","id":"x"}\n{"type":"canary.resumed","t":1}\n');
    expect(readCanaryEvents(run.journal.file).events).toHaveLength(1);
  });

  it('refuses a terminal event whose outcome or operation is not one it knows, naming the field', () => {
    const run = folder();
    writeFileSync(run.journal.file, '{"type":"canary.finished","t":1,"outcome":""}\n');
    expect(() => readCanaryEvents(run.journal.file)).toThrow(/journal.jsonl:1: outcome/);
    writeFileSync(run.journal.file, '{"type":"canary.actuated","t":1,"op":"explode","state":{}}\n');
    expect(() => readCanaryEvents(run.journal.file)).toThrow(/journal.jsonl:1: op/);
    writeFileSync(
      run.journal.file,
      '{"type":"canary.finished","t":1,"outcome":"rolled_back","reason":"r"}\n',
    );
    expect(readCanaryEvents(run.journal.file).events).toHaveLength(1);
  });

  it('startAfter: only the rollout after the last matching line (a gate that re-ran its canary layer)', () => {
    const run = folder();
    const lines = [
      { type: 'gate.layer.started', layer: 'canary' },
      { type: 'canary.resumed', t: 1 },
      { type: 'gate.layer.started', layer: 'replay' },
      { type: 'canary.resumed', t: 2 },
      { type: 'gate.layer.started', layer: 'canary' },
      { type: 'canary.resumed', t: 3 },
    ];
    writeFileSync(run.journal.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const journal = openCanaryJournal(run.journal, {
      startAfter: (e) => e.type === 'gate.layer.started' && e.layer === 'canary',
    });
    expect(journal.existing.map((e) => e.t)).toEqual([3]);
    expect(openCanaryJournal(run.journal).existing.map((e) => e.t)).toEqual([1, 2, 3]);
  });
});
