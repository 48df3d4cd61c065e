import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shipgateError } from '../errors.ts';

/**
 * `.shipgate/runs/<time>-<id>/`: every command that does work writes here. Files are
 * written whole (write to a temp name, then rename is not needed for append-only
 * journal lines); the journal is appended synchronously so a kill loses at most the
 * event being written.
 */
export interface RunFolder {
  readonly dir: string;
  readonly id: string;
  path(name: string): string;
  writeJson(name: string, data: unknown): string;
  writeText(name: string, text: string): string;
  journal: Journal;
}

export interface Journal {
  readonly file: string;
  append(event: JournalEvent): void;
}

export interface JournalEvent {
  type: string;
  [key: string]: unknown;
}

export const DEFAULT_RUNS_ROOT = '.shipgate/runs';

export function createRunFolder(options: { root?: string; dir?: string; now?: Date } = {}): RunFolder {
  const now = options.now ?? new Date();
  const id = randomBytes(3).toString('hex');
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const dir = resolve(options.dir ?? join(options.root ?? DEFAULT_RUNS_ROOT, `${stamp}-${id}`));
  return openRunFolder(dir, id);
}

/** Opens an existing run folder (to resume from its journal, or re-render its report). */
export function openRunFolder(dir: string, id = dir.split('-').pop() ?? 'run'): RunFolder {
  guard(dir, () => mkdirSync(dir, { recursive: true }));
  const path = (name: string) => join(dir, name);
  const writeText = (name: string, text: string) => {
    const file = path(name);
    guard(dir, () => writeFileSync(file, text));
    return file;
  };
  const journalFile = path('journal.jsonl');
  return {
    dir,
    id,
    path,
    writeText,
    writeJson: (name, data) => writeText(name, `${JSON.stringify(data, null, 2)}\n`),
    journal: {
      file: journalFile,
      append: (event) =>
        guard(dir, () =>
          appendFileSync(journalFile, `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`),
        ),
    },
  };
}

function guard<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error ? `${String(error.code)} ${error.message}` : String(error);
    throw shipgateError('SG_RUN_DIR_UNWRITABLE', { dir, reason }, error);
  }
}
