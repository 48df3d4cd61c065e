import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shipgateError } from '../../core/errors.ts';
import { createRunFolder, openRunFolder, type RunFolder } from '../../core/run/run-folder.ts';

/**
 * The folder a replay writes: the interrupted run's own with `resume`, else `out` or a
 * new one under .shipgate/runs. Called by the runner only once its inputs are checked.
 */
export function replayRunFolder(options: { resume?: string; out?: string }): RunFolder {
  if (options.resume) {
    if (!existsSync(join(options.resume, 'journal.jsonl')))
      throw shipgateError('SG_NOTHING_TO_RESUME', {
        dir: options.resume,
        reason: 'it holds no journal.jsonl',
      });
    return openRunFolder(options.resume);
  }
  // Appending a second run to a folder would mix two journals and two runs' outcomes.
  const found = options.out ? RUN_FILES.filter((name) => existsSync(join(options.out!, name))) : [];
  if (options.out && found.length > 0)
    throw shipgateError('SG_RUN_DIR_IN_USE', { dir: options.out, found: found.join(', ') });
  return createRunFolder(options.out ? { dir: options.out } : {});
}

const RUN_FILES = ['journal.jsonl', 'results.jsonl', 'report.json'];

/** What a replay's `replay.started` journal event records about the run. */
export interface StartedReplay {
  file: string;
  target: string | undefined;
  baseline: string | undefined;
  multiply: number;
}

/**
 * A resumed run must continue the same replay: the same input file at the same targets.
 * Sending the rest of a day to another platform, or another file's orders under the
 * first file's results, would make the accounting meaningless.
 */
export function assertSameRun(run: RunFolder, now: StartedReplay): void {
  const dir = run.dir;
  let started: Record<string, unknown> | undefined;
  try {
    for (const line of readFileSync(run.journal.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        if (event.type === 'replay.started') started = event;
      } catch {
        // a torn last line from the interrupted run
      }
    }
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw shipgateError('SG_FILE_UNREADABLE', { file: run.journal.file, reason });
  }
  if (!started)
    throw shipgateError('SG_USAGE', {
      message: `${dir} is not a replay run folder (no replay.started in its journal)`,
    });
  const mismatch = (what: string, before: unknown, now: unknown) =>
    shipgateError('SG_USAGE', {
      message: `--resume ${dir}: that run replayed ${what} ${String(before)}, not ${String(now)}`,
    });
  if (started.file !== now.file) throw mismatch('file', started.file, now.file);
  if (started.target !== now.target) throw mismatch('to target', started.target, now.target);
  if ((started.baseline ?? undefined) !== now.baseline)
    throw mismatch('to baseline', started.baseline ?? 'none', now.baseline ?? 'none');
  if (started.multiply !== now.multiply) throw mismatch('with --multiply', started.multiply, now.multiply);
}
