import { closeSync, existsSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { shipgateError } from '../../core/errors.ts';
import type { JournalEvent } from '../../core/run/run-folder.ts';
import type { ActuatorOp } from '../actuators/actuator.ts';
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

export function openCanaryJournal(
  sink: JournalSink,
  options: Pick<ReadOptions, 'startAfter'> = {},
): CanaryJournal {
  const { events, repairedBytes } = readCanaryEvents(sink.file, { ...options, repair: true });
  return {
    file: sink.file,
    existing: events,
    repairedBytes,
    append: (event) => sink.append(event as unknown as JournalEvent),
  };
}

export interface ReadOptions {
  repair?: boolean;
  /**
   * A journal holding more than one rollout (the gate re-runs its canary layer against a
   * new sandbox after a kill): only the canary events after the last line this matches
   * belong to the current one.
   */
  startAfter?: (event: JournalEvent) => boolean;
}

/**
 * Reads the canary events of a journal. A last line without its newline was torn by a
 * kill: it is dropped (and, with `repair`, cut from the file so the next append starts
 * on a fresh line). A malformed line anywhere else is corruption and an error naming it.
 */
export function readCanaryEvents(
  file: string,
  options: ReadOptions = {},
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
    // A damaged journal can hold any JSON (`null` crashed resume with a TypeError).
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && known.has(type)) {
      const bad = malformedField(value as Record<string, unknown>);
      if (bad)
        throw shipgateError('SG_INPUT_INVALID', {
          file,
          line: i + 1,
          field: bad,
          problem: `missing or mistyped in a ${type} event`,
        });
      events.push(value as CanaryEvent);
    } else if (typeof type === 'string' && options.startAfter?.(value as JournalEvent)) events.length = 0;
    else if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw shipgateError('SG_INPUT_INVALID', {
        file,
        line: i + 1,
        field: '(line)',
        problem: 'not a journal event (expected a JSON object with a type)',
      });
  });
  return { events, repairedBytes };
}

/**
 * The fields resume reads from each event, shallowly checked: a hand-edited or damaged
 * journal is refused naming the line and field instead of failing later with a TypeError.
 */
type FieldKind = 'number' | 'string' | 'object' | 'array' | readonly string[];
const OPS = ['set-weight', 'promote', 'rollback', 'state'] as const satisfies readonly ActuatorOp[];
const OUTCOMES = ['promoted', 'rolled_back', 'held'] as const;

const REQUIRED: Record<string, [string, FieldKind][]> = {
  'canary.started': [
    ['config', 'object'],
    ['versions', 'object'],
    ['metrics', 'array'],
  ],
  'canary.observation': [['snapshot', 'object']],
  'canary.evaluation': [
    ['result', 'object'],
    ['action', 'object'],
    ['stepIndex', 'number'],
    ['weight', 'number'],
  ],
  'canary.decision': [
    ['action', 'object'],
    ['stepIndex', 'number'],
    ['weight', 'number'],
  ],
  'canary.actuating': [['op', OPS]],
  'canary.actuated': [
    ['op', OPS],
    ['state', 'object'],
  ],
  'canary.actuation-failed': [['op', OPS]],
  'canary.finished': [['outcome', OUTCOMES]],
};

function malformedField(event: Record<string, unknown>): string | undefined {
  if (typeof event.t !== 'number') return 't';
  for (const [key, kind] of REQUIRED[event.type as string] ?? []) {
    const v = event[key];
    const ok = Array.isArray(kind)
      ? kind.includes(v as string)
      : kind === 'array'
        ? Array.isArray(v)
        : kind === 'object'
          ? typeof v === 'object' && v !== null && !Array.isArray(v)
          : typeof v === kind;
    if (!ok) return key;
  }
  const action = event.action as { type?: unknown } | undefined;
  if (action && typeof action.type !== 'string') return 'action.type';
  if (event.type === 'canary.observation')
    return malformedSnapshot(event.snapshot as Record<string, unknown>);
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Down to each version's reading: what the delta fold walks on resume. */
function malformedSnapshot(snapshot: Record<string, unknown>): string | undefined {
  if (typeof snapshot.at !== 'number') return 'snapshot.at';
  if (!isObject(snapshot.metrics)) return 'snapshot.metrics';
  for (const [id, reading] of Object.entries(snapshot.metrics)) {
    if (!isObject(reading) || !isObject(reading.byVersion)) return `snapshot.metrics.${id}`;
    for (const [version, r] of Object.entries(reading.byVersion)) {
      const at = `snapshot.metrics.${id}.byVersion.${version}`;
      if (!isObject(r) || typeof r.ok !== 'boolean') return at;
      if (
        r.ok &&
        reading.kind !== 'raw' &&
        !(isObject(r.value) && isObject(r.value.sum) && isObject(r.value.parts))
      )
        return `${at}.value`;
      if (!r.ok && !isObject(r.missing)) return `${at}.missing`;
    }
  }
  return undefined;
}
