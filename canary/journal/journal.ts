import { closeSync, existsSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { shipgateError } from '../../harness/errors.ts';
import type { JournalEvent } from '../../harness/run/run-folder.ts';
import { CANARY_EVENT_TYPES, type CanaryEvent } from './events.ts';

/**
 * The rollout's side of journal.jsonl: read what an earlier (possibly killed) run
 * wrote, repair a torn last line, and append new events through the run folder's
 * synchronous appender (so a kill loses at most the line being written).
 */

/** The run folder's journal appender, or anything with the same shape (tests). */
export interface JournalSink {
  readonly file: string;
  append(event: JournalEvent): void;
}

export interface CanaryJournal {
  readonly file: string;
  /** Canary events already in the file when it was opened, oldest first. */
  readonly existing: readonly CanaryEvent[];
  /** Bytes of a torn last line removed on open (a kill mid-write). */
  readonly repairedBytes: number;
  append(event: CanaryEvent): void;
}

export function openCanaryJournal(sink: JournalSink): CanaryJournal {
  const { events, repairedBytes } = readCanaryEvents(sink.file, { repair: true });
  return {
    file: sink.file,
    existing: events,
    repairedBytes,
    append: (event) => sink.append(event as unknown as JournalEvent),
  };
}

/**
 * Reads the canary events of a journal. A last line without its newline was torn by a
 * kill: it is dropped (and, with `repair`, cut from the file so the next append starts
 * on a fresh line). A malformed line anywhere else is corruption and an error naming it.
 */
export function readCanaryEvents(
  file: string,
  options: { repair?: boolean } = {},
): { events: CanaryEvent[]; repairedBytes: number } {
  if (!existsSync(file)) return { events: [], repairedBytes: 0 };
  const text = readFileSync(file, 'utf8');
  let body = text;
  let repairedBytes = 0;
  if (text.length > 0 && !text.endsWith('\n')) {
    const cut = text.lastIndexOf('\n') + 1;
    body = text.slice(0, cut);
    repairedBytes = Buffer.byteLength(text.slice(cut));
    if (options.repair) {
      const fd = openSync(file, 'r+');
      try {
        ftruncateSync(fd, Buffer.byteLength(body));
      } finally {
        closeSync(fd);
      }
    }
  }
  const events: CanaryEvent[] = [];
  const known = new Set<string>(CANARY_EVENT_TYPES);
  body.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw shipgateError(
        'SG_INPUT_INVALID',
        {
          file,
          line: i + 1,
          field: '(line)',
          problem: `not a JSON line: ${error instanceof Error ? error.message : String(error)}`,
        },
        error,
      );
    }
    const type = (value as { type?: unknown }).type;
    if (typeof type === 'string' && known.has(type)) events.push(value as CanaryEvent);
  });
  return { events, repairedBytes };
}
