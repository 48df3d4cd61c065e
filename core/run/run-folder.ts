import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  const id = newRunId();
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const dir = resolve(options.dir ?? join(options.root ?? DEFAULT_RUNS_ROOT, `${stamp}-${id}`));
  return openRunFolder(dir, id);
}

/**
 * Opens a run folder: an existing one (to resume from its journal, or re-render its
 * report) keeps the id its journal's first line records; a new one gets a fresh id.
 * The id is never read from the folder's path (`--run-dir /tmp/run-east-1/gate` is no
 * run "1/gate"): webhooks and pushes name the run by it, and a resumed run must keep it.
 */
export function openRunFolder(dir: string, id?: string): RunFolder {
  guard(dir, () => mkdirSync(dir, { recursive: true }));
  const path = (name: string) => join(dir, name);
  const writeText = (name: string, text: string) => {
    const file = path(name);
    guard(dir, () => writeFileSync(file, text));
    return file;
  };
  const journalFile = path('journal.jsonl');
  const runId = id ?? recordedRunId(journalFile) ?? newRunId();
  // The first line a run writes records its id, so a resumed run is the same run.
  let recorded = hasContent(journalFile);
  return {
    dir,
    id: runId,
    path,
    writeText,
    writeJson: (name, data) => writeText(name, `${JSON.stringify(data, null, 2)}\n`),
    journal: {
      file: journalFile,
      append: (event) =>
        guard(dir, () => {
          const stamp = recorded ? {} : { runId };
          appendFileSync(
            journalFile,
            `${JSON.stringify({ at: new Date().toISOString(), ...stamp, ...event })}\n`,
          );
          recorded = true;
        }),
    },
  };
}

function newRunId(): string {
  return randomBytes(3).toString('hex');
}

function hasContent(file: string): boolean {
  return existsSync(file) && statSync(file).size > 0;
}

/** The `runId` on the journal's first line (read from its first 4 KiB), if any. */
function recordedRunId(journalFile: string): string | undefined {
  if (!hasContent(journalFile)) return undefined;
  const buffer = Buffer.alloc(4096);
  let fd: number | undefined;
  try {
    fd = openSync(journalFile, 'r');
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const first = buffer.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    const runId = (JSON.parse(first) as { runId?: unknown }).runId;
    return typeof runId === 'string' && /^[\w.-]{1,64}$/.test(runId) ? runId : undefined;
  } catch {
    return undefined; // a damaged first line: the journal's reader reports it, naming the line
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
